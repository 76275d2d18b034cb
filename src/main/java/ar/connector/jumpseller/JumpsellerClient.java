package ar.connector.jumpseller;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import ar.connector.api.ApiBudgets;
import ar.connector.api.ApiCallException;
import ar.connector.api.ApiMetrics;
import ar.connector.api.ApiTransport;
import ar.connector.api.RateLimiter;
import ar.connector.config.ConnectorProperties;

/**
 * Jumpseller REST API v1 as the connector uses it (contracts/jumpseller/README.md): HTTP Basic
 * per store, pages of at most 100 that end on a short page, and per-store pacing below 20/s and
 * 800/min. A 429 waits for the next window, or for the ban's reset time.
 */
@Component
public class JumpsellerClient {

    static final String API = "jumpseller";
    public static final int PAGE_SIZE = 100;

    private final URI baseUrl;
    private final ConnectorProperties.JumpsellerRateLimit limits;
    private final ApiBudgets budgetStore;
    private final Duration readTimeout;
    private final ApiTransport transport;
    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();

    public JumpsellerClient(ConnectorProperties properties, ApiMetrics metrics, ApiBudgets budgetStore) {
        ConnectorProperties.Jumpseller config = properties.jumpseller();
        this.baseUrl = URI.create(config.apiUrl().toString().replaceAll("/+$", ""));
        this.limits = config.rateLimit();
        this.budgetStore = budgetStore;
        this.readTimeout = config.readTimeout();
        HttpClient http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
        this.transport = new ApiTransport(API, http, metrics, new Policy(), properties.api().retryAttempts(),
                properties.api().retryBackoff());
    }

    // ---- store -------------------------------------------------------------------------------

    public JsModel.Store storeInfo(StoreCredentials store) {
        JsonNode body = getJson(store, "store/info", "/store/info.json");
        // The spec declares the store unwrapped; some sources wrap it in {"store":…}.
        JsonNode node = body.has("store") && body.get("store").isObject() ? body.get("store") : body;
        return convert(node, JsModel.Store.class);
    }

    // ---- orders ------------------------------------------------------------------------------

    public Optional<JsModel.Order> order(StoreCredentials store, long orderId) {
        try {
            return Optional.of(unwrap(getJson(store, "orders/{id}", "/orders/" + orderId + ".json"), "order",
                    JsModel.Order.class));
        } catch (ApiCallException e) {
            if (e.is(ApiCallException.Kind.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Orders with an id greater than {@code afterId}, one page (ascending ids). */
    public List<JsModel.Order> ordersAfter(StoreCredentials store, long afterId, int page) {
        return unwrapList(getJson(store, "orders/after/{id}",
                "/orders/after/" + afterId + ".json?limit=" + PAGE_SIZE + "&page=" + page), "order", JsModel.Order.class);
    }

    public List<JsModel.Order> ordersByStatus(StoreCredentials store, String statusEnum, int page) {
        return unwrapList(getJson(store, "orders/status/{status}",
                "/orders/status/" + statusEnum + ".json?limit=" + PAGE_SIZE + "&page=" + page), "order", JsModel.Order.class);
    }

    /** Orders of one status created between two store-local dates, inclusive (day granularity). */
    public JsModel.OrderPage searchOrders(StoreCredentials store, String statusEnum, LocalDate from, LocalDate to, int page) {
        String query = "status_filters[]=" + enc(statusEnum) + "&dateFilter=customDate&initialDate=" + from
                + "&finalDate=" + to + "&limit=" + PAGE_SIZE + "&page=" + page;
        JsonNode body = getJson(store, "orders/search", "/orders/search.json?" + query.replace("[]", "%5B%5D"));
        List<JsModel.Order> orders = unwrapList(body.path("orders"), "order", JsModel.Order.class);
        return new JsModel.OrderPage(orders, body.path("count").asLong(orders.size()));
    }

    /** The id of the store's newest order, if it has any. */
    public Optional<Long> newestOrderId(StoreCredentials store) {
        List<JsModel.Order> newest = unwrapList(getJson(store, "orders", "/orders.json?limit=1&page=1"), "order",
                JsModel.Order.class);
        return newest.stream().map(JsModel.Order::id).findFirst();
    }

    /**
     * Attaches an issued document to the order (1 = invoice, 0 = credit note). Not retried on an
     * uncertain outcome: a repeat would show the buyer the document twice.
     */
    public void attachDocument(StoreCredentials store, long orderId, int documentType, String externalId,
            String publicId, String url) {
        Map<String, Object> document = new java.util.LinkedHashMap<>();
        document.put("document_type", documentType);
        document.put("external_id", externalId);
        document.put("public_id", publicId);
        if (url != null) {
            document.put("url", url);
        }
        send(store, "orders/{id}/documents", "POST", "/orders/" + orderId + "/documents.json",
                Map.of("document", document), false);
    }

    /** The documents attached to the order ({@code GET /orders/{id}/documents.json}). */
    public List<JsModel.Document> documents(StoreCredentials store, long orderId) {
        return unwrapList(getJson(store, "orders/{id}/documents", "/orders/" + orderId + "/documents.json"),
                "document", JsModel.Document.class);
    }

    // ---- products ----------------------------------------------------------------------------

    /** Reads the whole catalogue page by page, stopping on a short page. */
    public void forEachProduct(StoreCredentials store, Consumer<JsModel.Product> consumer) {
        for (int page = 1; ; page++) {
            List<JsModel.Product> products = unwrapList(getJson(store, "products",
                    "/products.json?limit=" + PAGE_SIZE + "&page=" + page), "product", JsModel.Product.class);
            products.forEach(consumer);
            if (products.size() < PAGE_SIZE) {
                return;
            }
        }
    }

    /** One product with its variants, as the catalogue shows it now. */
    public Optional<JsModel.Product> product(StoreCredentials store, long productId) {
        try {
            return Optional.of(unwrap(getJson(store, "products/{id}", "/products/" + productId + ".json"), "product",
                    JsModel.Product.class));
        } catch (ApiCallException e) {
            if (e.is(ApiCallException.Kind.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Sets fields of a product without variants (absolute values: safe to repeat). */
    public void updateProduct(StoreCredentials store, long productId, Map<String, Object> fields) {
        send(store, "products/{id}", "PUT", "/products/" + productId + ".json", Map.of("product", fields), true);
    }

    public void updateVariant(StoreCredentials store, long productId, long variantId, Map<String, Object> fields) {
        send(store, "products/{id}/variants/{id}", "PUT",
                "/products/" + productId + "/variants/" + variantId + ".json", Map.of("variant", fields), true);
    }

    // ---- hooks -------------------------------------------------------------------------------

    public List<JsModel.Hook> hooks(StoreCredentials store) {
        return unwrapList(getJson(store, "hooks", "/hooks.json"), "hook", JsModel.Hook.class);
    }

    public JsModel.Hook createHook(StoreCredentials store, String event, String url) {
        JsonNode body = send(store, "hooks", "POST", "/hooks.json", Map.of("hook", Map.of("event", event, "url", url)), false);
        return unwrap(body, "hook", JsModel.Hook.class);
    }

    public void deleteHook(StoreCredentials store, long hookId) {
        try {
            send(store, "hooks/{id}", "DELETE", "/hooks/" + hookId + ".json", null, true);
        } catch (ApiCallException e) {
            if (!e.is(ApiCallException.Kind.NOT_FOUND)) {
                throw e;
            }
        }
    }

    // ---- plumbing ----------------------------------------------------------------------------

    private JsonNode getJson(StoreCredentials store, String endpoint, String pathAndQuery) {
        return send(store, endpoint, "GET", pathAndQuery, null, true);
    }

    private JsonNode send(StoreCredentials store, String endpoint, String method, String pathAndQuery, Object body,
            boolean idempotent) {
        byte[] payload = body == null ? null : write(body);
        String auth = "Basic " + Base64.getEncoder().encodeToString(
                (store.login() + ":" + store.authToken()).getBytes(StandardCharsets.UTF_8));
        URI uri = URI.create(baseUrl + pathAndQuery);
        HttpResponse<byte[]> response = transport.send(new ApiTransport.Call(endpoint,
                () -> ApiTransport.jsonRequest(uri, readTimeout, auth, method, payload),
                limiter(store.storeCode()), idempotent));
        return read(response.body(), endpoint);
    }

    /** The store's budget (per second and per minute at once), shared by every replica where budgets are. */
    private RateLimiter limiter(String storeCode) {
        return limiters.computeIfAbsent(storeCode, code -> {
            List<ApiBudgets.Limit> windows = new ArrayList<>();
            if (limits.perMinute() > 0) {
                windows.add(new ApiBudgets.Limit(limits.perMinute(), Duration.ofMinutes(1)));
            }
            if (limits.perSecond() > 0) {
                windows.add(new ApiBudgets.Limit(limits.perSecond(), Duration.ofSeconds(1)));
            }
            return budgetStore.budget(API + ":" + code, windows);
        });
    }

    private byte[] write(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode read(byte[] body, String endpoint) {
        if (body == null || body.length == 0) {
            return json.nullNode();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new ApiCallException(API, endpoint, 200, ApiCallException.Kind.UNAVAILABLE,
                    "the answer is not JSON", e);
        }
    }

    private <T> T unwrap(JsonNode node, String wrapper, Class<T> type) {
        JsonNode inner = node.has(wrapper) && node.get(wrapper).isObject() ? node.get(wrapper) : node;
        return convert(inner, type);
    }

    private <T> List<T> unwrapList(JsonNode node, String wrapper, Class<T> type) {
        List<T> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(item -> out.add(unwrap(item, wrapper, type)));
        } else if (node != null && node.isObject()) {
            // The spec declares a single order for /orders/after; the live API answers an array.
            out.add(unwrap(node, wrapper, type));
        }
        return out;
    }

    private <T> T convert(JsonNode node, Class<T> type) {
        try {
            return json.treeToValue(node, type);
        } catch (IOException e) {
            throw new ApiCallException(API, type.getSimpleName(), 200, ApiCallException.Kind.UNAVAILABLE,
                    "unexpected " + type.getSimpleName() + " shape", e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** How long a 429 asks us to wait: until the ban's reset, else the next minute or second window. */
    static final class Policy implements ApiTransport.Policy {
        private static final ObjectMapper ERRORS = new ObjectMapper();

        @Override
        public Duration waitAfterTooManyRequests(HttpResponse<byte[]> response) {
            Instant now = Instant.now();
            Optional<String> bannedUntil = response.headers().firstValue("Jumpseller-BannedByRateLimit-Reset");
            if (bannedUntil.isPresent()) {
                try {
                    Duration wait = Duration.between(now, Instant.parse(bannedUntil.get().trim()));
                    return wait.isNegative() ? Duration.ofSeconds(1) : wait.plusMillis(50);
                } catch (DateTimeParseException e) {
                    return Duration.ofMinutes(1);
                }
            }
            boolean minuteSpent = response.headers().firstValue("Jumpseller-PerMinuteRateLimit-Remaining")
                    .map(String::trim).map("0"::equals).orElse(false);
            long millis = now.toEpochMilli();
            long next = minuteSpent ? (millis / 60_000 + 1) * 60_000 : (millis / 1_000 + 1) * 1_000;
            return Duration.ofMillis(next - millis + 50);
        }

        @Override
        public String errorMessage(byte[] body) {
            try {
                JsonNode node = ERRORS.readTree(body);
                if (node != null && node.hasNonNull("message")) {
                    return node.get("message").asText();
                }
            } catch (IOException ignored) {
                // not JSON: fall through
            }
            return body == null ? "" : new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        }
    }

}
