package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ar.connector.sandbox.contabilium.ContabiliumSandbox;
import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.Fault;

/** What the invoicing flow finds, and what it leaves, after an interrupted invoice. */
class InvoiceRecoveryTest extends SandboxedConnectorTest {

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
}
