package ar.connector.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.config.ConnectorProperties;
import ar.connector.invoicing.SandboxedConnectorTest;
import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.support.TestMail;

/** Merchant alert digests over a real SMTP server: parked orders -> one digest per interval, only news. */
class AlertDigestTest extends SandboxedConnectorTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    AlertDigests digests;

    @Autowired
    ConnectorProperties properties;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void twoParkedOrdersGiveOneDigestNamingBothAndNothingNewGivesNone() throws Exception {
        String alerts = "alertas-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Linked link = newLink("RI", Map.of("alertEmail", alerts), "REM-01");
        long first = parkedOrder(link, "FALTA-1");
        long second = parkedOrder(link, "FALTA-2");

        digests.sendDue();

        List<MimeMessage> received = TestMail.to(alerts);
        assertThat(received).hasSize(1);
        MimeMessage digest = received.get(0);
        assertThat(digest.getSubject()).isEqualTo(link.store().name() + ": 2 pedidos necesitan su atención");
        assertThat(((InternetAddress) digest.getFrom()[0]).getPersonal()).isEqualTo(link.store().name());
        String body = Mails.text(digest);
        assertThat(body).contains("Pedido #" + first).contains("Pedido #" + second)
                .contains("El SKU FALTA-1 no tiene producto en Contabilium")
                .contains("El SKU FALTA-2 no tiene producto en Contabilium")
                .contains("Qué hacer: cree en Contabilium el producto con ese código");

        // A third parked order within the interval waits for the next digest.
        long third = parkedOrder(link, "FALTA-3");
        lastDigestSentAgo(link, Duration.ZERO); // however long parking it took on a slow machine
        digests.sendDue();
        assertThat(TestMail.to(alerts)).hasSize(1);

        lastDigestSentAgo(link, properties.alerts().digestInterval().plusSeconds(1));
        digests.sendDue();
        received = TestMail.to(alerts);
        assertThat(received).hasSize(2);
        String next = Mails.text(received.get(1));
        assertThat(next).contains("Pedido #" + third).doesNotContain("Pedido #" + first)
                .doesNotContain("Pedido #" + second);

        // Nothing new: no digest, however long it has been.
        lastDigestSentAgo(link, properties.alerts().digestInterval().multipliedBy(10));
        digests.sendDue();
        assertThat(TestMail.to(alerts)).hasSize(2);
    }

    @Test
    void anInvoiceWhoseTotalDiffersFromTheOrderIsShownOnItsRowAndReportedOnceWithoutAnExtraCall() throws Exception {
        String alerts = "alertas-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Linked link = newLink("RI", Map.of("alertEmail", alerts, "includeShippingCost", false), "REM-01");
        link.account().setPercepcion(new BigDecimal("3"));
        long orderId = link.store().newOrder().additionalField("DNI", "30123457").line("REM-01", 1, 1210.00)
                .status("paid").create();

        signedWebhook(link.store(), "order_paid", orderId);
        JsonNode row = awaitStatus(link, orderId, "INVOICED");

        String warning = "El total de la factura emitida ($ 1.240,00) difiere del total del pedido ($ 1.210,00) en "
                + "$ 30,00";
        assertThat(row.get("warning").asText()).startsWith(warning);
        assertThat(row.at("/invoice/total").decimalValue()).isEqualByComparingTo("1240.00");
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.COMPROBANTE_GET)).isZero();
        digests.sendDue();
        String body = Mails.text(TestMail.to(alerts).get(0));
        assertThat(body).contains("Pedido #" + orderId + " (facturado, revise la factura)").contains(warning)
                .contains("Qué hacer: compare la factura con el pedido");

        lastDigestSentAgo(link, properties.alerts().digestInterval().plusSeconds(1));
        assertThat(digests.due()).doesNotContain(new AlertDigests.DigestDue(link.linkId()));
    }

    @Test
    void aCanceledInvoiceWaitingForItsCreditNoteSaysHowManyOfRg4540sFifteenDaysAreLeft() throws Exception {
        String alerts = "alertas-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Linked link = newLink("RI", Map.of("alertEmail", alerts, "includeShippingCost", false, "autoCreditNote", false),
                "REM-01");
        long orderId = link.store().newOrder().additionalField("DNI", "30123458").line("REM-01", 1, 1210.00)
                .status("paid").create();
        signedWebhook(link.store(), "order_paid", orderId);
        awaitStatus(link, orderId, "INVOICED");
        link.store().setOrderStatus(orderId, "canceled");
        signedWebhook(link.store(), "order_canceled", orderId);
        awaitStatus(link, orderId, "PARKED");
        // Canceled four days ago (Buenos Aires days).
        jdbc.update("update order_record set canceled_at = ? where link_id = ? and order_id = ?",
                Timestamp.from(Instant.now().minus(Duration.ofDays(4))), link.linkId(), orderId);

        digests.sendDue();

        String body = Mails.text(TestMail.to(alerts).get(0));
        assertThat(body).contains("Pedido #" + orderId)
                .contains("Plazo: quedan 11 de los 15 días que la RG 4540 da para emitir la nota de crédito.")
                .contains("Qué hacer: emita la nota de crédito");
    }

    @Test
    void linksWithoutAlertAddressGetNoDigest() {
        Linked link = newLink("RI", Map.of(), "REM-01");
        parkedOrder(link, "FALTA-9");

        assertThat(digests.due()).extracting(AlertDigests.DigestDue::linkId).doesNotContain(link.linkId());
    }

    private long parkedOrder(Linked link, String missingSku) {
        long orderId = link.store().newOrder().customer("c-" + UUID.randomUUID() + "@example.com", "Cliente")
                .additionalField("DNI", "30123456").line(missingSku, 1, 1210.00).status("paid").create();
        signedWebhook(link.store(), "order_paid", orderId);
        await().atMost(WAIT).until(() -> "PARKED".equals(status(link, orderId)));
        return orderId;
    }

    /** Moves the link's last digest into the past (no waiting on the wall clock, so no timing flake). */
    private void lastDigestSentAgo(Linked link, Duration ago) {
        assertThat(jdbc.update("update alert_digest set last_sent_at = ? where link_id = ?",
                Timestamp.from(Instant.now().minus(ago)), link.linkId())).isEqualTo(1);
    }
}
