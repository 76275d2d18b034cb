package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/**
 * The webhook receiver holds its link look-ups for a few seconds (WebhookLinks): a link changed or
 * unlinked through the API is never served from that cache afterwards, not even within the TTL.
 */
class WebhookLinkCacheTest extends SandboxedConnectorTest {

    @Test
    void aChangedHooksTokenAndAnUnlinkTakeEffectAtOnce() throws Exception {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long orderId = link.store().newOrder().additionalField("DNI", "29111222").line("REM-01", 1, 1210.00)
                .create();
        byte[] body = orderPayload(link.store(), orderId);
        String oldToken = link.store().hooksToken();
        // Held now: the same answer twice within the TTL.
        assertThat(webhook("order_updated", link.store().code(), body, sign(body, oldToken)).statusCode()).isEqualTo(200);
        assertThat(webhook("order_updated", link.store().code(), body, sign(body, oldToken)).statusCode()).isEqualTo(200);

        var patched = admin("PATCH", "/api/links/" + link.linkId(), Map.of("jumpseller", Map.of("hooksToken", "otro-token")));
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(webhook("order_updated", link.store().code(), body, sign(body, oldToken)).statusCode())
                .as("the old token, right after the change").isEqualTo(401);
        assertThat(webhook("order_updated", link.store().code(), body, sign(body, "otro-token")).statusCode())
                .isEqualTo(200);

        assertThat(admin("DELETE", "/api/links/" + link.linkId(), null).statusCode()).isEqualTo(204);
        assertThat(webhook("order_updated", link.store().code(), body, sign(body, "otro-token")).statusCode())
                .as("an unlinked store, right after the unlink").isEqualTo(404);
    }

    private static String sign(byte[] body, String token) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }
}
