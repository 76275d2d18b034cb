package ar.connector.sandbox.jumpseller;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One webhook delivery attempt.
 *
 * @param hookId    hook it was made for, or 0 for a test-made {@link JumpsellerSandbox#deliver} call
 * @param attempt   1 for the first try, 2.. for retries
 * @param status    HTTP status answered by the receiver, or -1 when the call failed (refused, timeout)
 * @param error     failure description when {@code status == -1}, else {@code null}
 * @param signature the {@code Jumpseller-Hmac-Sha256} header sent, or {@code null} if none
 */
public record Delivery(Instant at, long hookId, String url, String event, String storeCode,
                       byte[] body, String signature, int attempt, int status, String error) {

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }

    public String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Delivery[" + event + " -> " + url + " attempt " + attempt + " status " + status
                + (error == null ? "" : " (" + error + ")") + "]";
    }
}
