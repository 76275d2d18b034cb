package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import ar.connector.contabilium.Alicuota;
import ar.connector.contabilium.CbModel;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.sandbox.contabilium.SandboxDocument;

import ar.connector.sandbox.contabilium.ContabiliumSandbox;
import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.Fault;

/** What the invoicing flow finds, and what it leaves, after an interrupted invoice. */
class InvoiceRecoveryTest extends SandboxedConnectorTest {

    @Autowired
    ContabiliumClient contabilium;

    @Autowired
    JdbcTemplate jdbc;

    @AfterEach
    void restoreSandbox() {
        CONTABILIUM.clearFaults();
    }

    @Test
    void aDraftLeftByAnUnansweredCrearIsFoundAmongMoreThanAThousandDocumentsOfTheMonth() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        LocalDate today = LocalDate.now(ContabiliumSandbox.ARGENTINA);
        // A busy account: 1,050 invoices the day before, more than the 20 pages Contabilium's search answers.
        link.account().addIssuedInvoices(today.minusDays(1), 1_050);
        long orderId = link.store().newOrder().additionalField("DNI", "30444555").line("REM-01", 1, 1210.00)
                .status("paid").create();
        CONTABILIUM.failNext(Endpoint.CREAR, Fault.CREAR_FAILS_AFTER_CREATE, 1);

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "INVOICED");

        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CREAR)).isEqualTo(1);
        assertThat(invoicesOf(link, orderId)).hasSize(1);
        assertThat(link.account().drafts()).isEmpty();
        // One day read: its single page.
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.COMPROBANTE_SEARCH)).isEqualTo(1);
    }

    @Test
    void aDraftLeftFromYesterdayIsDraftedAgainWithTodaysDateBeforeAskingForTheCae() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false, "autoInvoice", false), "REM-01");
        LocalDate today = LocalDate.now(ContabiliumSandbox.ARGENTINA);
        long orderId = link.store().newOrder().additionalField("DNI", "30444666").line("REM-01", 1, 1210.00)
                .status("paid").create();
        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "PENDING");
        // Yesterday crear created the draft and its answer was lost; today the point of sale already issued one.
        long yesterdays = contabilium.crear(new ContabiliumAccount(link.account().email(), link.account().apiKey()),
                new CbModel.ComprobanteRequest(link.account().addCustomer("Ana", "CF", "DNI", "30444666"), "FCB", "E", 1,
                        "Contado", 1, null, today.minusDays(1) + "T00:00:00", null, "Pedido Jumpseller #" + orderId,
                        "jumpseller:" + link.store().code() + ":" + orderId, null, BigDecimal.ZERO, BigDecimal.ZERO,
                        null, null, false, List.of(new CbModel.Item(null, "REM-01", "Remera", BigDecimal.ONE,
                                new BigDecimal("1000"), Alicuota.of("21"), BigDecimal.ZERO))));
        jdbc.update("update order_record set phase = 'CREATING', fecha_emision = ? where link_id = ? and order_id = ?",
                today.minusDays(1), link.linkId(), orderId);
        link.account().addIssuedInvoices(today, 1);

        assertThat(invoiceNow(link, orderId).statusCode()).isEqualTo(202);
        awaitStatus(link, orderId, "INVOICED");

        SandboxDocument invoice = invoicesOf(link, orderId).get(0);
        assertThat(invoicesOf(link, orderId)).hasSize(1);
        assertThat(invoice.fechaEmision()).startsWith(today.toString());
        assertThat(invoice.id()).isNotEqualTo(yesterdays);
        assertThat(link.account().document(yesterdays)).isEmpty();
        assertThat(link.account().drafts()).isEmpty();
    }
}
