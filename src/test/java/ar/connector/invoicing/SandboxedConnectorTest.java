package ar.connector.invoicing;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import ar.connector.support.ConnectorTest;
import ar.connector.support.TestSandboxes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ar.connector.sandbox.contabilium.ContabiliumSandbox;
import ar.connector.sandbox.contabilium.SandboxAccount;
import ar.connector.sandbox.jumpseller.JumpsellerSandbox;
import ar.connector.sandbox.jumpseller.SandboxStore;

/**
 * A running connector (real HTTP, embedded Artemis, H2) wired to both sandboxes. Every test makes
 * its own Contabilium account and Jumpseller store through {@link #newLink}, so tests sharing the
 * Spring context do not see each other's orders. Timings are scaled down in application-test.yaml.
 */
@ConnectorTest
public abstract class SandboxedConnectorTest {

    protected static final JumpsellerSandbox JUMPSELLER = TestSandboxes.JUMPSELLER;
    protected static final ContabiliumSandbox CONTABILIUM = TestSandboxes.CONTABILIUM;
    protected static final String ADMIN_PASSWORD = ConnectorTest.ADMIN_PASSWORD;
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    protected int port;

    @Autowired
    protected ObjectMapper mapper;

    /** One linked pair: a fresh Contabilium account and a fresh Jumpseller store, linked through the API. */
    public record Linked(long linkId, SandboxStore store, SandboxAccount account) {
    }

    protected Linked newLink(String sellerCondition, Map<String, Object> settings, String... skusAt21) {
        int n = SEQ.incrementAndGet();
        String email = "cuenta" + n + "-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        SandboxAccount account = CONTABILIUM.addAccount(email, "key-" + n, sellerCondition, "Vendedor " + n + " SA",
                "30712345674");
        account.seedDefaults();
        for (String sku : skusAt21) {
            account.addConcepto(sku, "Producto " + sku, new BigDecimal("1210.00"), new BigDecimal("21"));
        }
        String code = "tienda" + n + "-" + UUID.randomUUID().toString().substring(0, 6);
        SandboxStore store = JUMPSELLER.addStore(code, "Tienda " + n, "login" + n, "token" + n, "hooks" + n);
        Map<String, Object> allSettings = new java.util.HashMap<>(Map.of("puntoDeVentaId", 1, "condicionDeVenta",
                "Contado", "emailReceipts", false));
        allSettings.putAll(settings);
        Map<String, Object> body = Map.of("name", "Tienda " + n,
                "contabilium", Map.of("clientId", email, "clientSecret", "key-" + n),
                "jumpseller", Map.of("storeCode", code, "login", "login" + n, "authToken", "token" + n),
                "settings", allSettings);
        HttpResponse<String> created = admin("POST", "/api/links", body);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("link not created: " + created.statusCode() + " " + created.body());
        }
        return new Linked(json(created.body()).get("id").asLong(), store, account);
    }

    protected HttpResponse<String> admin(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json");
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)));
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a webhook as Jumpseller would, signed with the store's hooks token (or the given signature). */
    protected HttpResponse<String> webhook(String event, String storeCode, byte[] body, String signature) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/jumpseller"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (event != null) {
                request.header("Jumpseller-Event", event);
            }
            if (storeCode != null) {
                request.header("Jumpseller-Store-Code", storeCode);
            }
            if (signature != null) {
                request.header("Jumpseller-Hmac-Sha256", signature);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The order as Jumpseller delivers it in a webhook: {@code {"order":{…}}}. */
    protected byte[] orderPayload(SandboxStore store, long orderId) {
        try {
            return mapper.writeValueAsBytes(Map.of("order", store.order(orderId)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected HttpResponse<String> signedWebhook(SandboxStore store, String event, long orderId) {
        byte[] body = orderPayload(store, orderId);
        return webhook(event, store.code(), body, store.sign(body));
    }

    protected JsonNode orderRow(Linked link, long orderId) {
        HttpResponse<String> row = admin("GET", "/api/links/" + link.linkId() + "/orders/" + orderId, null);
        return row.statusCode() == 200 ? json(row.body()) : null;
    }

    protected String status(Linked link, long orderId) {
        JsonNode row = orderRow(link, orderId);
        return row == null ? null : row.get("status").asText();
    }

    /** Waits until the order's row shows {@code wanted}, failing with the row's last reason otherwise. */
    protected JsonNode awaitStatus(Linked link, long orderId, String wanted) {
        org.awaitility.Awaitility.await("order " + orderId + " " + wanted).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> wanted.equals(status(link, orderId)));
        return orderRow(link, orderId);
    }

    /** POST /api/links/{id}/orders/{orderId}/invoice: invoice now, or retry a parked or failed order. */
    protected HttpResponse<String> invoiceNow(Linked link, long orderId) {
        return admin("POST", "/api/links/" + link.linkId() + "/orders/" + orderId + "/invoice", null);
    }

    /** The invoices (with CAE) the sandbox holds for this order, found by RefExterna. */
    protected java.util.List<ar.connector.sandbox.contabilium.SandboxDocument> invoicesOf(Linked link, long orderId) {
        String reference = "jumpseller:" + link.store().code() + ":" + orderId;
        return link.account().issuedInvoices().stream().filter(d -> reference.equals(d.refExterna())).toList();
    }

    /** Drafts (no CAE) the sandbox holds for this order. */
    protected java.util.List<ar.connector.sandbox.contabilium.SandboxDocument> draftsOf(Linked link, long orderId) {
        String reference = "jumpseller:" + link.store().code() + ":" + orderId;
        return link.account().drafts().stream().filter(d -> reference.equals(d.refExterna())).toList();
    }

    protected JsonNode json(String body) {
        try {
            return mapper.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
