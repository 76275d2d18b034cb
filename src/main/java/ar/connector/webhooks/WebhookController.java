package ar.connector.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ar.connector.config.Hops;
import ar.connector.invoicing.OrderMessage;
import ar.connector.sync.StockEvents;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code POST /webhooks/jumpseller} (SPEC §3.3). Checks, in this order: 413 above 1 MiB, 404 for
 * an unknown store, 401 for a missing or wrong signature (HMAC-SHA256 of the raw bytes under the
 * store's hooks token), 400 for a body that does not fit its event; then hands the event to the
 * {@code order-webhook} route, which puts it on the durable queue, and answers 200 only after that
 * — or 503 when it cannot (broker or database down, or the route stopped), so Jumpseller retries.
 */
@RestController
@Hidden
public class WebhookController {

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);
    static final int MAX_BYTES = 1024 * 1024;
    static final Set<String> ORDER_EVENTS = Set.of("order_paid", "order_updated", "order_canceled");
    static final Set<String> PRODUCT_EVENTS = Set.of("product_stock_updated", "product_updated");
    public static final String INTAKE = "direct:order-webhook";

    private final WebhookLinks links;
    private final ObjectMapper mapper;
    private final Hops hops;
    private final StockEvents stockEvents;

    public WebhookController(WebhookLinks links, ObjectMapper mapper, Hops hops, StockEvents stockEvents) {
        this.links = links;
        this.mapper = mapper;
        this.hops = hops;
        this.stockEvents = stockEvents;
    }

    @PostMapping("/webhooks/jumpseller")
    public ResponseEntity<Map<String, String>> receive(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BYTES) {
            return answer(HttpStatus.PAYLOAD_TOO_LARGE, "the body is larger than 1 MiB");
        }
        byte[] body = readAtMost(request.getInputStream(), MAX_BYTES);
        if (body == null) {
            return answer(HttpStatus.PAYLOAD_TOO_LARGE, "the body is larger than 1 MiB");
        }
        String storeCode = request.getHeader("Jumpseller-Store-Code");
        Optional<WebhookLinks.WebhookLink> link;
        try {
            link = storeCode == null ? Optional.empty() : links.find(storeCode);
        } catch (DataAccessException e) {
            log.warn("Webhook refused with 503: the database is not available ({})", e.getClass().getSimpleName());
            return answer(HttpStatus.SERVICE_UNAVAILABLE, "cannot accept events right now");
        }
        if (link.isEmpty()) {
            return answer(HttpStatus.NOT_FOUND, "unknown store");
        }
        String signature = request.getHeader("Jumpseller-Hmac-Sha256");
        if (signature == null || !validSignature(body, link.get().hooksToken(), signature)) {
            return answer(HttpStatus.UNAUTHORIZED, "missing or wrong signature");
        }
        String event = request.getHeader("Jumpseller-Event");
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (IOException e) {
            return answer(HttpStatus.BAD_REQUEST, "the body is not JSON");
        }
        if (event == null || event.isBlank()) {
            return answer(HttpStatus.BAD_REQUEST, "the Jumpseller-Event header is missing");
        }
        boolean orderEvent = ORDER_EVENTS.contains(event);
        boolean productEvent = PRODUCT_EVENTS.contains(event);
        String wrapper = orderEvent || event.startsWith("order_") ? "order" : productEvent || event.startsWith("product_") ? "product" : null;
        if (wrapper != null) {
            JsonNode inner = json == null ? null : json.get(wrapper);
            if (inner == null || !inner.isObject() || !isPositiveId(inner.get("id"))) {
                return answer(HttpStatus.BAD_REQUEST, "a " + event + " event must carry {\"" + wrapper + "\":{\"id\":…}}");
            }
        }
        if (productEvent) {
            // A stock change in the store: the stock-sync-skus route puts back what Contabilium says.
            try {
                stockEvents.enqueue(link.get().id(), link.get().contabiliumAccount(), event, json);
            } catch (RuntimeException e) {
                log.warn("Webhook {} for store {} refused with 503: {}", event, storeCode, rootMessage(e));
                return answer(HttpStatus.SERVICE_UNAVAILABLE, "cannot queue the event right now");
            }
            return answer(HttpStatus.OK, "queued");
        }
        if (!orderEvent) {
            return answer(HttpStatus.OK, "ignored");
        }
        JsonNode order = json.get("order");
        OrderMessage message = new OrderMessage(link.get().id(), order.get("id").asLong(), OrderMessage.WEBHOOK,
                false, null, order);
        try {
            hops.send(INTAKE, message, Map.of("connectorLinkId", link.get().id()));
        } catch (RuntimeException e) {
            log.warn("Webhook {} for store {} refused with 503: {}", event, storeCode, rootMessage(e));
            return answer(HttpStatus.SERVICE_UNAVAILABLE, "cannot queue the event right now");
        }
        try {
            stockEvents.enqueue(link.get().id(), link.get().contabiliumAccount(), event, json);
        } catch (RuntimeException e) {
            // The order itself is queued; the next scheduled stock sync covers what this event would have.
            log.warn("Stock event of {} for store {} not queued: {}", event, storeCode, rootMessage(e));
        }
        return answer(HttpStatus.OK, "queued");
    }

    static boolean validSignature(byte[] body, String hooksToken, String signature) {
        if (hooksToken == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hooksToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal(body);
            byte[] given;
            try {
                given = Base64.getDecoder().decode(signature.trim());
            } catch (IllegalArgumentException e) {
                return false;
            }
            return MessageDigest.isEqual(expected, given);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A positive id that fits a {@code long}: anything larger would wrap around into another order's id. */
    private static boolean isPositiveId(JsonNode id) {
        if (id != null && id.isIntegralNumber()) {
            return id.canConvertToLong() && id.asLong() > 0;
        }
        if (id != null && id.isTextual() && id.asText().matches("[1-9]\\d{0,18}")) {
            try {
                return Long.parseLong(id.asText()) > 0;
            } catch (NumberFormatException beyondLong) {
                return false;
            }
        }
        return false;
    }

    /** Reads the body, or answers null when it is longer than {@code max}. */
    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max + 1);
        return bytes.length > max ? null : bytes;
    }

    private static ResponseEntity<Map<String, String>> answer(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(Map.of("message", message));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
