package ar.connector.sandbox.jumpseller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JumpsellerSandboxTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JumpsellerSandbox sandbox;
    private SandboxStore store;
    private RawJumpsellerHttp client;
    private Receiver receiver;

    @BeforeEach
    void start() throws IOException {
        sandbox = JumpsellerSandbox.start();
        store = sandbox.addStore("tienda", "Tienda", "login1", "token1", "hooks-secret");
        client = new RawJumpsellerHttp(sandbox.baseUrl(), "login1", "token1");
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        sandbox.close();
        receiver.close();
    }

    @Test
    void paginatesWithAShortLastPageAndClampsLimitTo100() {
        IntStream.rangeClosed(1, 120).forEach(i -> store.addProduct("P" + i, "SKU-" + i, BigDecimal.TEN, i));

        assertThat(client.get("/products.json?limit=50&page=1").json()).hasSize(50);
        assertThat(client.get("/products.json?limit=50&page=3").json()).hasSize(20);
        assertThat(client.get("/products.json?limit=50&page=4").json()).isEmpty();
        assertThat(client.get("/products.json").json()).hasSize(50);
        assertThat(client.get("/products.json?limit=500").json()).hasSize(100);
        assertThat(client.get("/products.json?limit=50&page=3").json().get(19).path("product").path("sku").asText())
                .isEqualTo("SKU-120");
        assertThat(sandbox.requests()).allSatisfy(r -> assertThat(r.responseHeaders()).doesNotContainKey("link"));
    }

    @Test
    void ordersAfterAscendAndListsDescend() {
        long a = store.newOrder().line("X", 1, 10).create();
        long b = store.newOrder().line("X", 1, 10).status("paid").create();
        long c = store.newOrder().line("X", 1, 10).status("paid").create();

        assertThat(ids(client.get("/orders/after/" + a + ".json").json())).containsExactly(b, c);
        assertThat(ids(client.get("/orders.json").json())).containsExactly(c, b, a);
        assertThat(ids(client.get("/orders/status/paid.json?limit=1&page=2").json())).containsExactly(b);
        assertThat(client.get("/orders/status/shipped.json").status()).isEqualTo(404);
        assertThat(client.get("/orders/" + b + ".json").json().path("order").path("status").asText()).isEqualTo("Paid");
    }

    @Test
    void searchComparesCalendarDaysInTheStoreTimezone() {
        // 01:30 UTC on March 2nd is still March 1st in Buenos Aires (UTC-3).
        long late = store.newOrder().line("X", 1, 10).status("paid")
                .createdAt(OffsetDateTime.parse("2026-03-02T01:30:00Z")).create();
        store.newOrder().line("X", 1, 10).status("pending_payment")
                .createdAt(OffsetDateTime.parse("2026-03-01T15:00:00Z")).create();

        JsonNode march1 = client.get("/orders/search.json?status_filters[]=paid&dateFilter=customDate"
                + "&initialDate=2026-03-01&finalDate=2026-03-01").json();
        JsonNode march2 = client.get("/orders/search.json?status_filters[]=paid&dateFilter=customDate"
                + "&initialDate=2026-03-02&finalDate=2026-03-02").json();

        assertThat(march1.path("count").asInt()).isEqualTo(1);
        assertThat(march1.path("orders").get(0).path("order").path("id").asLong()).isEqualTo(late);
        // Dates as Jumpseller writes them, in UTC: the day filter still works in the store's timezone.
        assertThat(march1.path("orders").get(0).path("order").path("created_at").asText())
                .isEqualTo("2026-03-02 01:30:00 UTC");
        assertThat(march2.path("count").asInt()).isZero();
    }

    @Test
    void aTaxExcludedStoreAddsTheTaxAtCheckoutAndReportsItAsJumpsellerDoes() {
        store.addProduct("Mate", "MATE", new BigDecimal("1000"), 5);
        store.addProduct("Libro", "LIBRO", new BigDecimal("2000"), 5);
        store.excludeTax(new BigDecimal("21"), new BigDecimal("21"));
        store.setTaxRate("LIBRO", new BigDecimal("10.5"));
        store.setLoose(false);
        // Nets 2000 and 2000, a 400 coupon (200 each): tax 378.00 + 189.00; shipping 500 + 105.00.
        long id = store.newOrder().line("MATE", 2, 1000).line("LIBRO", 1, 2000).discount(400).shipping(500).create();

        JsonNode o = store.order(id);
        assertThat(o.path("subtotal").decimalValue()).isEqualByComparingTo("4000");
        assertThat(o.path("tax").decimalValue()).isEqualByComparingTo("567");
        assertThat(o.path("shipping_tax").decimalValue()).isEqualByComparingTo("105");
        assertThat(o.path("total").decimalValue()).isEqualByComparingTo("4772"); // 4000-400+567+500+105
        JsonNode tax = o.path("products").get(1).path("taxes").get(0);
        assertThat(tax.path("rate").decimalValue()).isEqualByComparingTo("10.5");
        assertThat(tax.path("tax_on_product_price").asBoolean(true)).isFalse();
        assertThat(o.path("shipping_taxes").get(0).path("rate").decimalValue()).isEqualByComparingTo("21");
    }

    @Test
    void ordersCarryResolvedLinesAndConsistentTotals() {
        SandboxProduct mate = store.addProduct("Mate", "MATE", new BigDecimal("1500"), 5);
        SandboxProduct shirt = store.addProductWithVariants("Remera", List.of(new VariantSpec("REM-S", BigDecimal.TEN, 1)));
        store.setLoose(false);
        long id = store.newOrder().line("MATE", 2, 1500, 300).line("REM-S", 1, 9000).line("GONE", 1, 100)
                .discount(500).shipping(800).shippingDiscount(100).giftCards(1000).create();

        JsonNode o = store.order(id);
        assertThat(o.path("subtotal").decimalValue()).isEqualByComparingTo("12100");
        assertThat(o.path("discount").decimalValue()).isEqualByComparingTo("500");
        assertThat(o.path("total").decimalValue()).isEqualByComparingTo("11300"); // 12100-500+800-100-1000
        JsonNode lines = o.path("products");
        assertThat(lines.get(0).path("id").asLong()).isEqualTo(mate.id());
        assertThat(lines.get(0).has("variant_id")).isFalse();
        assertThat(lines.get(1).path("variant_id").asLong()).isEqualTo(shirt.variants().get(0).id());
        assertThat(lines.get(2).path("id").asLong()).isGreaterThan(900000);
    }

    @Test
    void rejectsBadOrMissingCredentialsWith401AndAcceptsQueryCredentials() {
        var wrong = new RawJumpsellerHttp(sandbox.baseUrl(), "login1", "nope").get("/store/info.json");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("message").asText()).isNotBlank();
        assertThat(client.send("GET", "/store/info.json?login=login1&authtoken=token1", null).status()).isEqualTo(200);

        JsonNode info = client.get("/store/info.json").json();
        assertThat(info.path("code").asText()).isEqualTo("tienda");
        assertThat(info.path("hooks_token").asText()).isEqualTo("hooks-secret");
        assertThat(info.path("timezone").asText()).isEqualTo("America/Argentina/Buenos_Aires");
    }

    @Test
    void answers429WithHeadersOverThePerSecondLimit() {
        sandbox.setRateLimits(3, 0);
        // 10 quick calls span at most two aligned seconds, so one of them gets more than 3.
        List<RawJumpsellerHttp.Reply> replies = IntStream.range(0, 10).mapToObj(i -> client.get("/store/info.json")).toList();

        RawJumpsellerHttp.Reply limited = replies.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
        assertThat(limited.header("Jumpseller-PerSecondRateLimit-Limit")).isEqualTo("3");
        assertThat(limited.header("Jumpseller-PerSecondRateLimit-Remaining")).isEqualTo("0");
        assertThat(limited.json().path("message").asText()).isNotBlank();
        assertThat(replies.get(0).header("Jumpseller-PerSecondRateLimit-Remaining")).isEqualTo("2");
        assertThat(store.rateLimitHits()).isEqualTo((int) replies.stream().filter(r -> r.status() == 429).count());
        assertThat(store.maxPerSecondObserved()).isGreaterThan(3);
        assertThat(store.requestCount()).isEqualTo(10);
    }

    @Test
    void bansAfterTooManyHitsWithTheResetHeader() {
        sandbox.setRateLimits(1, 0);
        sandbox.setBan(3, Duration.ofMinutes(5));
        RawJumpsellerHttp.Reply banned = null;
        for (int i = 0; i < 50 && banned == null; i++) {
            RawJumpsellerHttp.Reply r = client.get("/store/info.json");
            if (r.header("Jumpseller-BannedByRateLimit-Reset") != null) {
                banned = r;
            }
        }
        assertThat(banned).isNotNull();
        assertThat(banned.status()).isEqualTo(429);
        Instant reset = Instant.parse(banned.header("Jumpseller-BannedByRateLimit-Reset"));
        assertThat(reset).isBetween(Instant.now().plus(Duration.ofMinutes(4)), Instant.now().plus(Duration.ofMinutes(5)));
        // Still banned even after the per-second window has moved on.
        sandbox.setRateLimits(0, 0);
        assertThat(client.get("/orders.json").status()).isEqualTo(429);
    }

    @Test
    void deliversSignedWebhooksWithTheRestShape() {
        String url = receiver.url("/hook");
        assertThat(client.post("/hooks.json", "{\"hook\":{\"event\":\"order_paid\",\"url\":\"" + url + "\"}}").status())
                .isEqualTo(200);
        store.registerHook("order_pending_payment", url);
        long id = store.newOrder().line("X", 1, 10).create();
        store.setOrderStatus(id, "paid");

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received.size() == 2);
        Receiver.Hit paid = receiver.received.stream().filter(h -> h.event().equals("order_paid")).findFirst().orElseThrow();
        assertThat(paid.signature()).isEqualTo(SandboxStore.hmac(paid.body(), "hooks-secret"));
        assertThat(paid.storeCode()).isEqualTo("tienda");
        assertThat(paid.contentType()).startsWith("application/json");
        assertThat(readTree(paid.body())).isEqualTo(client.get("/orders/" + id + ".json").json());
        assertThat(readTree(paid.body()).path("order").path("completed_at").asText())
                .matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC");
        assertThat(store.deliveries()).allSatisfy(d -> assertThat(d.status()).isEqualTo(200));

        // A tampered body keeps the old signature: the receiver can tell (here it just records it).
        byte[] tampered = new String(paid.body(), StandardCharsets.UTF_8).replace("Paid", "Canceled").getBytes();
        assertThat(sandbox.deliver(url, "order_paid", "tienda", tampered, paid.signature())).isEqualTo(200);
        assertThat(SandboxStore.hmac(tampered, "hooks-secret")).isNotEqualTo(paid.signature());
        assertThat(store.redeliverLast()).isEqualTo(200);
        assertThat(receiver.received).hasSize(4);
    }

    @Test
    void pausesAHookAfterConsecutiveFailures() {
        receiver.status.set(500);
        store.setWebhookRetry(10, Duration.ofMillis(10));
        store.setPauseAfterFailures(3);
        SandboxHook hook = store.registerHook("order_pending_payment", receiver.url("/fail"));
        store.newOrder().line("X", 1, 10).create();

        await().atMost(Duration.ofSeconds(5)).until(() -> store.isPaused(hook.id()));
        assertThat(store.deliveries()).hasSize(3).extracting(Delivery::attempt).containsExactly(1, 2, 3);
        assertThat(client.get("/hooks.json").json()).isEmpty();

        store.newOrder().line("X", 1, 10).create();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> store.deliveries().size() == 3);
    }

    @Test
    void retriesAFailedDeliveryUntilItSucceeds() {
        receiver.failFirst.set(2);
        store.setWebhookRetry(5, Duration.ofMillis(10));
        store.registerHook("product_stock_updated", receiver.url("/ok"));
        SandboxProduct p = store.addProduct("Mate", "MATE", new BigDecimal("100"), 1);
        client.put("/products/" + p.id() + ".json", "{\"product\":{\"stock\":7}}");

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received.size() == 3);
        assertThat(store.deliveries()).extracting(Delivery::status).containsExactly(500, 500, 200);
        assertThat(store.hooks().get(0).consecutiveFailures()).isZero();
        assertThat(readTree(receiver.received.get(2).body()).path("product").path("stock").asInt()).isEqualTo(7);
    }

    @Test
    void enforcesCompareAtPriceAbovePrice() {
        SandboxProduct p = store.addProduct("Mate", "MATE", new BigDecimal("100"), 1).compareAtPrice(new BigDecimal("150"));
        String path = "/products/" + p.id() + ".json";

        assertThat(client.put(path, "{\"product\":{\"price\":200}}").status()).isEqualTo(422);
        assertThat(p.price()).isEqualByComparingTo("100");
        assertThat(client.put(path, "{\"product\":{\"price\":200,\"compare_at_price\":250}}").status()).isEqualTo(200);
        assertThat(client.put(path, "{\"product\":{\"price\":300,\"compare_at_price\":null}}").status()).isEqualTo(200);
        assertThat(p.compareAtPrice()).isNull();
        assertThat(p.price()).isEqualByComparingTo("300");

        SandboxProduct shirt = store.addProductWithVariants("Remera", List.of(new VariantSpec("REM-S", BigDecimal.TEN, 1)))
                .variantCompareAtPrice("REM-S", new BigDecimal("20"));
        long v = shirt.variants().get(0).id();
        String vpath = "/products/" + shirt.id() + "/variants/" + v + ".json";
        assertThat(client.put(vpath, "{\"variant\":{\"price\":25}}").status()).isEqualTo(422);
        assertThat(client.put(vpath, "{\"variant\":{\"price\":15,\"stock\":4}}").status()).isEqualTo(200);
        assertThat(shirt.variants().get(0).stock()).isEqualTo(4);
        // Stock and price of a product with variants live on the variants.
        assertThat(client.put("/products/" + shirt.id() + ".json", "{\"product\":{\"stock\":4}}").status()).isEqualTo(422);
        assertThat(sandbox.requests().stream().filter(r -> r.is("PUT", "/products/\\d+(/variants/\\d+)?\\.json"))).hasSize(6);
    }

    @Test
    void looseModeSendsStringsAndNullsStrictModeDoesNot() {
        store.addProduct("Mate", "MATE", BigDecimal.TEN, 1);
        store.newOrder().line("MATE", 1, 10).create();                       // odd id
        long even = store.newOrder().line("MATE", 1, 10).create();           // even id: amounts as strings

        JsonNode loose = client.get("/orders/" + even + ".json").json().path("order");
        assertThat(loose.path("customer").path("id").isTextual()).isTrue();
        assertThat(loose.path("total").isTextual()).isTrue();
        assertThat(loose.path("billing_address").path("street_number").isNull()).isTrue();
        assertThat(loose.path("products").get(0).path("variant_id").isNull()).isTrue();

        store.setLoose(false);
        JsonNode strict = client.get("/orders/" + even + ".json").json().path("order");
        assertThat(strict.path("customer").path("id").isIntegralNumber()).isTrue();
        assertThat(strict.path("total").isNumber()).isTrue();
        assertThat(strict.path("billing_address").has("street_number")).isFalse();
        assertThat(strict.path("products").get(0).has("variant_id")).isFalse();
    }

    @Test
    void storesDocumentsPerOrder() {
        long id = store.newOrder().line("X", 1, 10).status("paid").create();
        var r = client.post("/orders/" + id + "/documents.json", "{\"document\":{\"document_type\":1,"
                + "\"external_id\":\"cb-9\",\"public_id\":\"0003-00000009\",\"url\":\"https://x/9.pdf\"}}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("document").path("order_id").asLong()).isEqualTo(id);
        assertThat(store.documents(id)).singleElement()
                .satisfies(d -> assertThat(d.path("public_id").asText()).isEqualTo("0003-00000009"));
        assertThat(client.post("/orders/1/documents.json", "{\"document\":{\"document_type\":1}}").status())
                .isEqualTo(404);
    }

    private static List<Long> ids(JsonNode wrappedOrders) {
        return java.util.stream.StreamSupport.stream(wrappedOrders.spliterator(), false)
                .map(n -> n.path("order").path("id").asLong()).toList();
    }

    private static JsonNode readTree(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A tiny webhook receiver on the JDK HttpServer that records raw bodies and headers. */
    static final class Receiver implements AutoCloseable {
        record Hit(String path, String event, String storeCode, String signature, String contentType, byte[] body) {
        }

        final List<Hit> received = new CopyOnWriteArrayList<>();
        final AtomicInteger status = new AtomicInteger(200);
        final AtomicInteger failFirst = new AtomicInteger(0);
        private final HttpServer server;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", ex -> {
                var h = ex.getRequestHeaders();
                received.add(new Hit(ex.getRequestURI().getPath(), h.getFirst("Jumpseller-Event"),
                        h.getFirst("Jumpseller-Store-Code"), h.getFirst("Jumpseller-Hmac-Sha256"),
                        h.getFirst("Content-Type"), ex.getRequestBody().readAllBytes()));
                int code = failFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : status.get();
                ex.sendResponseHeaders(code, -1);
                ex.close();
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
