package ar.connector.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.invoicing.SandboxedConnectorTest;
import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.SandboxDocument;
import ar.connector.support.TestMail;

/** Receipts over a real SMTP server (GreenMail): paid order -> invoice -> e-mail to the buyer. */
class ReceiptMailingTest extends SandboxedConnectorTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @org.springframework.beans.factory.annotation.Autowired
    org.quartz.Scheduler scheduler;

    @AfterEach
    void smtpIsUpAgain() {
        if (!smtpUp()) {
            TestMail.start();
        }
    }

    @Test
    void paidOrderMailsOneSpanishReceiptWithThePdfToTheBuyer() throws Exception {
        Linked link = newLink("RI", Map.of("emailReceipts", true), "REM-01");
        String buyer = buyer("ana");
        long orderId = link.store().newOrder().customer(buyer, "Ana Pérez").additionalField("DNI", "30123456")
                .line("REM-01", 2, 1210.00).line("REM-01", 1, 617.25).status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);

        await().atMost(WAIT).until(() -> "SENT".equals(receipt(link, orderId).path("status").asText()));
        SandboxDocument invoice = link.account().issuedInvoices().get(0);
        List<MimeMessage> received = TestMail.to(buyer);
        assertThat(received).hasSize(1);
        MimeMessage mail = received.get(0);
        String storeName = link.store().name();
        assertThat(mail.getSubject()).contains(storeName).contains("Factura B").contains(invoice.numero());
        InternetAddress from = (InternetAddress) mail.getFrom()[0];
        assertThat(from.getPersonal()).isEqualTo(storeName);
        assertThat(from.getAddress()).isEqualTo("facturas@conector.test");
        assertThat(((InternetAddress) mail.getReplyTo()[0]).getAddress()).isEqualTo("ayuda@conector.test");
        String body = Mails.text(mail);
        assertThat(body).contains("Gracias por su compra en " + storeName).contains("Ana Pérez")
                .contains("Factura B N° " + invoice.numero()).contains("Total: $ 3.037,25")
                .contains("pedido #" + orderId).contains(invoice.cae());
        assertThat(body).contains(invoice.linkPublico());
        assertThat(body).containsPattern("Fecha: \\d{2}/\\d{2}/\\d{4}");
        List<Mails.Attachment> attachments = Mails.attachments(mail);
        assertThat(attachments).hasSize(1);
        assertThat(attachments.get(0).fileName()).isEqualTo("Factura-B-" + invoice.numero() + ".pdf");
        assertThat(attachments.get(0).contentType()).startsWith("application/pdf");
        assertThat(new String(attachments.get(0).content(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");

        JsonNode receipt = receipt(link, orderId);
        assertThat(receipt.path("to").asText()).isEqualTo(buyer);
        assertThat(receipt.path("sentAt").isMissingNode()).isFalse();
        assertThat(receipt.path("count").asInt()).isEqualTo(1);
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.OBTENER_PDF)).isEqualTo(1);
        assertThat(admin("GET", "/actuator/prometheus", null).body())
                .containsPattern("connector_receipts_total\\{[^}]*outcome=\"sent\"[^}]*store=\""
                        + link.store().code() + "\"");
    }

    @Test
    void smtpOutageDelaysTheReceiptNotTheInvoiceAndItArrivesOnce() throws Exception {
        Linked link = newLink("RI", Map.of("emailReceipts", true), "REM-01");
        String buyer = buyer("bruno");
        long orderId = link.store().newOrder().customer(buyer, "Bruno Díaz").additionalField("DNI", "28111222")
                .line("REM-01", 1, 1210.00).status("paid").create();
        TestMail.stop();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);

        try {
            assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);

            // The invoice is issued while SMTP is down, and the receipt waits, retrying.
            await().atMost(WAIT).until(() -> "INVOICED".equals(status(link, orderId)));
            await().atMost(WAIT).until(() -> receipt(link, orderId).path("reason").asText().contains("Reintentando"));
            assertThat(receipt(link, orderId).path("status").asText()).isEqualTo("PENDING");
        } finally {
            root.detachAppender(log);
        }
        // Each failed attempt is one line without a stack trace.
        List<ch.qos.logback.classic.spi.ILoggingEvent> smtpFailures = List.copyOf(log.list).stream()
                .filter(e -> e.getFormattedMessage().contains("connect to host")).toList();
        assertThat(smtpFailures).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getThrowableProxy()).as(e.getFormattedMessage()).isNull();
            assertThat(e.getFormattedMessage()).doesNotContain("\n\tat ");
        });

        TestMail.start();

        await().atMost(WAIT).until(() -> "SENT".equals(receipt(link, orderId).path("status").asText()));
        assertThat(TestMail.to(buyer)).hasSize(1);
        assertThat(receipt(link, orderId).path("count").asInt()).isEqualTo(1);
        assertThat(link.account().issuedInvoices()).hasSize(1);
    }

    @Test
    void receiptsOffSendsNothing() {
        Linked link = newLink("RI", Map.of("emailReceipts", false), "REM-01");
        String buyer = buyer("carla");
        long orderId = link.store().newOrder().customer(buyer, "Carla Gómez").additionalField("DNI", "27111222")
                .line("REM-01", 1, 1210.00).status("paid").create();

        signedWebhook(link.store(), "order_paid", orderId);

        await().atMost(WAIT).until(() -> "SKIPPED".equals(receipt(link, orderId).path("status").asText()));
        assertThat(receipt(link, orderId).path("reason").asText()).contains("desactivado");
        assertThat(TestMail.to(buyer)).isEmpty();
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.OBTENER_PDF)).isZero();
    }

    @Test
    void invalidBuyerAddressIsNotMailedAndTheReasonIsRecorded() {
        Linked link = newLink("RI", Map.of("emailReceipts", true), "REM-01");
        long orderId = link.store().newOrder().customer("no-es-un-correo", "Diego Sin Correo")
                .additionalField("DNI", "26111222").line("REM-01", 1, 1210.00).status("paid").create();

        signedWebhook(link.store(), "order_paid", orderId);

        await().atMost(WAIT).until(() -> "SKIPPED".equals(receipt(link, orderId).path("status").asText()));
        assertThat(receipt(link, orderId).path("reason").asText()).contains("no es válida").contains("no-es-un-correo");
        assertThat(receipt(link, orderId).path("count").asInt()).isZero();
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.OBTENER_PDF)).isZero();
    }

    @Test
    void resendSendsASecondMessageAndRecordsIt() throws Exception {
        Linked link = newLink("RI", Map.of("emailReceipts", true), "REM-01");
        String buyer = buyer("elena");
        long orderId = link.store().newOrder().customer(buyer, "Elena Ruiz").additionalField("DNI", "25111222")
                .line("REM-01", 1, 1210.00).status("paid").create();
        signedWebhook(link.store(), "order_paid", orderId);
        await().atMost(WAIT).until(() -> "SENT".equals(receipt(link, orderId).path("status").asText()));

        var resend = admin("POST", "/api/links/" + link.linkId() + "/orders/" + orderId + "/receipt", null);

        assertThat(resend.statusCode()).isEqualTo(202);
        await().atMost(WAIT).until(() -> receipt(link, orderId).path("count").asInt() == 2);
        assertThat(receipt(link, orderId).path("status").asText()).isEqualTo("SENT");
        await().atMost(WAIT).until(() -> TestMail.to(buyer).size() == 2);
        List<MimeMessage> received = TestMail.to(buyer);
        assertThat(received.get(0).getMessageID()).isNotEqualTo(received.get(1).getMessageID());
        JsonNode attempts = orderRow(link, orderId).path("attempts");
        assertThat(attempts.findValuesAsText("outcome").stream().filter("RECEIPT_SENT"::equals)).hasSize(2);
    }

    @Test
    void resendOfAnOrderWithoutInvoiceIsRefused() {
        Linked link = newLink("RI", Map.of("emailReceipts", true), "REM-01");
        long orderId = link.store().newOrder().customer(buyer("fede"), "Fede").line("SIN-PRODUCTO", 1, 100.00)
                .status("paid").create();
        signedWebhook(link.store(), "order_paid", orderId);
        await().atMost(WAIT).until(() -> "PARKED".equals(status(link, orderId)));

        assertThat(admin("POST", "/api/links/" + link.linkId() + "/orders/" + orderId + "/receipt", null).statusCode())
                .isEqualTo(409);
    }

    @Test
    void receiptIsMarkedFailedAfterTheLastAttemptAndResendDeliversIt() {
        Linked link = newLink("RI", Map.of("emailReceipts", true), "REM-01");
        String buyer = buyer("gabi");
        long orderId = link.store().newOrder().customer(buyer, "Gabi Sosa").additionalField("DNI", "24111222")
                .line("REM-01", 1, 1210.00).status("paid").create();
        TestMail.stop();
        signedWebhook(link.store(), "order_paid", orderId);

        await().atMost(WAIT).until(() -> "FAILED".equals(receipt(link, orderId).path("status").asText()));
        assertThat(receipt(link, orderId).path("reason").asText()).contains("tras 10 intentos");
        assertThat(status(link, orderId)).isEqualTo("INVOICED");

        TestMail.start();
        assertThat(admin("POST", "/api/links/" + link.linkId() + "/orders/" + orderId + "/receipt", null).statusCode())
                .isEqualTo(202);
        await().atMost(WAIT).until(() -> "SENT".equals(receipt(link, orderId).path("status").asText()));
        assertThat(TestMail.to(buyer)).hasSize(1);
    }

    @Test
    void aReceiptLeftPendingWithoutItsJobIsQueuedAgainBySweep() throws Exception {
        Linked link = newLink("RI", Map.of("emailReceipts", true), "REM-01");
        String buyer = buyer("hugo");
        long orderId = link.store().newOrder().customer(buyer, "Hugo Paz").additionalField("DNI", "23111222")
                .line("REM-01", 1, 1210.00).status("paid").create();
        signedWebhook(link.store(), "order_paid", orderId);
        await().atMost(WAIT).until(() -> "SENT".equals(receipt(link, orderId).path("status").asText()));
        // As if a resend had been recorded long ago and its job lost with a rolled-back transaction.
        jdbc.update("update order_record set receipt_status = 'PENDING', receipt_queued_at = ? where link_id = ?"
                + " and order_id = ?", java.sql.Timestamp.from(java.time.Instant.now().minus(Duration.ofHours(2))),
                link.linkId(), orderId);

        // The receipt-sweep route, fired now rather than on its schedule.
        scheduler.triggerJob(org.quartz.JobKey.jobKey("receipt-sweep", "connector"));

        await().atMost(WAIT).until(() -> receipt(link, orderId).path("count").asInt() == 2);
        await().atMost(WAIT).until(() -> TestMail.to(buyer).size() == 2);
    }

    private JsonNode receipt(Linked link, long orderId) {
        JsonNode row = orderRow(link, orderId);
        return row == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : row.path("receipt");
    }

    private static String buyer(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static boolean smtpUp() {
        try (java.net.Socket socket = new java.net.Socket(TestMail.HOST, TestMail.PORT)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
