package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import ar.connector.sandbox.contabilium.Endpoint;

/**
 * SPEC §3.3: every answer of the webhook receiver, in its order of checks, and none of the refused or
 * ignored events creating anything (no order row, no Contabilium call).
 */
class WebhookAnswersTest extends SandboxedConnectorTest {

    @Autowired
    CamelContext camel;

    @Test
    void refusedAndIgnoredEventsGetTheirAnswersAndCreateNothing() throws Exception {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long orderId = link.store().newOrder()
                .customer("mara@example.com", "Mara Luz")
                .additionalField("DNI", "30999888")
                .line("REM-01", 1, 1210.00)
                .status("paid").create();
        String store = link.store().code();
        byte[] body = orderPayload(link.store(), orderId);
        String signature = link.store().sign(body);

        // 413 comes first: an oversized body from an unknown store, unsigned, is still "too large".
        byte[] huge = new byte[1024 * 1024 + 1];
        Arrays.fill(huge, (byte) ' ');
        assertThat(webhook("order_paid", "no-such-store", huge, null).statusCode()).isEqualTo(413);
        byte[] paddedOrder = pad(body, 1024 * 1024 + 1);
        assertThat(webhook("order_paid", store, paddedOrder, link.store().sign(paddedOrder)).statusCode()).isEqualTo(413);

        assertThat(webhook("order_paid", "no-such-store", body, signature).statusCode()).isEqualTo(404);
        assertThat(webhook("order_paid", null, body, signature).statusCode()).isEqualTo(404);

        assertThat(webhook("order_paid", store, body, null).statusCode()).isEqualTo(401);
        assertThat(webhook("order_paid", store, body, "d3Jvbmc=").statusCode()).isEqualTo(401);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"paid\"", "\"pending_payment\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(tampered).isNotEqualTo(body);
        assertThat(webhook("order_paid", store, tampered, signature).statusCode()).isEqualTo(401);

        byte[] productBody = mapper.writeValueAsBytes(Map.of("product", Map.of("id", 5, "name", "Remera")));
        assertThat(webhook("order_paid", store, productBody, link.store().sign(productBody)).statusCode()).isEqualTo(400);
        byte[] noId = mapper.writeValueAsBytes(Map.of("order", Map.of("status", "Paid")));
        assertThat(webhook("order_paid", store, noId, link.store().sign(noId)).statusCode()).isEqualTo(400);
        for (String tooLarge : new String[] {"9999999999999999999", "18446744073709561618"}) {
            // Beyond a long, as text or as a number: once read as order 0 or as order 10002.
            for (String id : new String[] {"\"" + tooLarge + "\"", tooLarge}) {
                byte[] overflow = ("{\"order\":{\"id\":" + id + ",\"status\":\"Paid\"}}").getBytes(StandardCharsets.UTF_8);
                assertThat(webhook("order_paid", store, overflow, link.store().sign(overflow)).statusCode())
                        .as(id).isEqualTo(400);
            }
        }
        byte[] notJson = "order=1".getBytes(StandardCharsets.UTF_8);
        assertThat(webhook("order_paid", store, notJson, link.store().sign(notJson)).statusCode()).isEqualTo(400);

        byte[] customer = mapper.writeValueAsBytes(Map.of("customer", Map.of("id", 9, "email", "x@example.com")));
        HttpResponse<String> unused = webhook("customer_created", store, customer, link.store().sign(customer));
        assertThat(unused.statusCode()).isEqualTo(200);
        assertThat(json(unused.body()).get("message").asText()).isEqualTo("ignored");

        // Whatever was queued would have been consumed by now; nothing was.
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> orderRow(link, orderId) == null
                && orderRow(link, 0) == null && orderRow(link, 10002) == null);
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CREAR)).isZero();
        assertThat(link.account().documents()).isEmpty();
    }

    @Test
    void stoppedIntakeRouteAnswers503QuicklyAndAfterARestartTheSameEventIsInvoiced() throws Exception {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long orderId = link.store().newOrder()
                .customer("nico@example.com", "Nicolás Paz")
                .additionalField("DNI", "32111000")
                .line("REM-01", 1, 1210.00)
                .status("paid").create();

        camel.getRouteController().stopRoute("order-webhook");
        try {
            assertThat(camel.getRouteController().getRouteStatus("order-webhook")).isEqualTo(ServiceStatus.Stopped);
            long start = System.nanoTime();
            HttpResponse<String> refused = signedWebhook(link.store(), "order_paid", orderId);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(millis).as("answered in %d ms", millis).isLessThan(1000);
            assertThat(orderRow(link, orderId)).isNull();
            assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CREAR)).isZero();
        } finally {
            camel.getRouteController().startRoute("order-webhook");
        }

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "INVOICED");
        assertThat(invoicesOf(link, orderId)).hasSize(1);
    }

    /** The same JSON followed by spaces up to {@code size} bytes: still valid, just too large. */
    private static byte[] pad(byte[] json, int size) {
        byte[] padded = Arrays.copyOf(json, size);
        Arrays.fill(padded, json.length, size, (byte) ' ');
        return padded;
    }
}
