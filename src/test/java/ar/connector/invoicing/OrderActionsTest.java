package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.sandbox.contabilium.Endpoint;

/** SPEC §3.2: autoInvoice off keeps orders PENDING for a person; skip and cancellation make them SKIPPED. */
class OrderActionsTest extends SandboxedConnectorTest {

    @Test
    void withAutoInvoiceOffAPaidOrderWaitsPendingUntilInvoicedByHand() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false, "autoInvoice", false), "REM-01");
        long orderId = link.store().newOrder()
                .customer("olga@example.com", "Olga Ramos")
                .additionalField("DNI", "25666777")
                .line("REM-01", 1, 1210.00)
                .status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        JsonNode row = awaitStatus(link, orderId, "PENDING");
        assertThat(row.get("reason")).isNull();
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> "PENDING".equals(status(link, orderId)));
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CREAR)).isZero();

        assertThat(invoiceNow(link, orderId).statusCode()).isEqualTo(202);
        awaitStatus(link, orderId, "INVOICED");
        assertThat(invoicesOf(link, orderId)).hasSize(1);
    }

    @Test
    void aSkippedOrderIsNotInvoicedByALaterPaidWebhook() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long orderId = link.store().newOrder()
                .customer("pablo@example.com", "Pablo Gil")
                .additionalField("DNI", "26777888")
                .line("REM-01", 1, 1210.00)
                .create(); // pending payment: not yet invoiced anywhere

        var skipped = admin("POST", "/api/links/" + link.linkId() + "/orders/" + orderId + "/skip", null);
        assertThat(skipped.statusCode()).isEqualTo(200);
        assertThat(json(skipped.body()).get("status").asText()).isEqualTo("SKIPPED");

        link.store().setOrderStatus(orderId, "paid");
        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(4))
                .until(() -> "SKIPPED".equals(status(link, orderId)));
        assertThat(orderRow(link, orderId).get("reason").asText()).contains("Omitido a mano");
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CREAR)).isZero();
    }

    @Test
    void aPaidOrderCanceledBeforeInvoicingIsSkippedAndStaysSo() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false, "autoInvoice", false), "REM-01");
        long orderId = link.store().newOrder()
                .customer("quique@example.com", "Enrique Sol")
                .additionalField("DNI", "27888999")
                .line("REM-01", 1, 1210.00)
                .status("paid").create();
        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "PENDING");

        link.store().setOrderStatus(orderId, "canceled");
        assertThat(signedWebhook(link.store(), "order_canceled", orderId).statusCode()).isEqualTo(200);
        JsonNode row = awaitStatus(link, orderId, "SKIPPED");
        assertThat(row.get("reason").asText()).isEqualTo("Pedido cancelado antes de facturarse");

        // Asking for an invoice by hand does not revive it.
        assertThat(invoiceNow(link, orderId).statusCode()).isEqualTo(202);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(4))
                .until(() -> "SKIPPED".equals(status(link, orderId)));
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CREAR)).isZero();
    }
}
