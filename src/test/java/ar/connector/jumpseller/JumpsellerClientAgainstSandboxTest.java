package ar.connector.jumpseller;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ar.connector.api.ApiBudgets;
import ar.connector.sandbox.jumpseller.JumpsellerSandbox;
import ar.connector.sandbox.jumpseller.OpenApiContract;
import ar.connector.sandbox.jumpseller.RecordedRequest;
import ar.connector.sandbox.jumpseller.SandboxProduct;
import ar.connector.sandbox.jumpseller.SandboxStore;
import ar.connector.sandbox.jumpseller.VariantSpec;
import ar.connector.testsupport.TestConnector;

/**
 * The production {@link JumpsellerClient} against the Jumpseller sandbox: pagination, pacing,
 * waiting after a 429 (next window, or the ban's reset time), lenient reading and conformance of
 * every exchange with Jumpseller's openapi.json.
 */
class JumpsellerClientAgainstSandboxTest {

    private static JumpsellerSandbox sandbox;
    private static final AtomicInteger stores = new AtomicInteger();

    private SandboxStore store;
    private StoreCredentials credentials;

    @BeforeAll
    static void startSandbox() {
        sandbox = JumpsellerSandbox.start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void freshStore() {
        sandbox.setRateLimits(0, 0);
        sandbox.setBan(0, Duration.ZERO);
        String code = "client" + stores.incrementAndGet();
        store = sandbox.addStore(code, "Tienda " + code, "login-" + code, "token-" + code, "hooks-" + code);
        credentials = new StoreCredentials(code, "login-" + code, "token-" + code);
        sandbox.clearRequests();
    }

    private static JumpsellerClient client(Object... extra) {
        List<Object> kv = new ArrayList<>(List.of("jumpseller.api-url", sandbox.baseUrl(),
                "api.retry-backoff", "50ms"));
        kv.addAll(List.of(extra));
        return new JumpsellerClient(TestConnector.properties(kv.toArray()), TestConnector.metrics(), ApiBudgets.inMemory());
    }

    private List<RecordedRequest> requestsOfThisStore() {
        return sandbox.requests().stream().filter(r -> store.code().equals(r.storeCode())).toList();
    }

    // ---- pagination ------------------------------------------------------------------------------

    @Test
    void catalogueOf250ProductsIsReadInThreePagesStoppingOnTheShortOne() {
        IntStream.rangeClosed(1, 250).forEach(i -> store.addProduct("P" + i, "SKU-" + i, BigDecimal.TEN, i));

        List<JsModel.Product> read = new ArrayList<>();
        client().forEachProduct(credentials, read::add);

        assertThat(read).hasSize(250);
        assertThat(read).extracting(JsModel.Product::sku).doesNotHaveDuplicates().contains("SKU-1", "SKU-250");
        List<RecordedRequest> pages = requestsOfThisStore().stream().filter(r -> r.is("GET", "/products\\.json")).toList();
        assertThat(pages).extracting(RecordedRequest::query)
                .containsExactly("limit=100&page=1", "limit=100&page=2", "limit=100&page=3");
    }

    // ---- lenient reading -------------------------------------------------------------------------

    @Test
    void looseAnswersWithStringIdsAndAmountsAreRead() {
        assertThat(store.loose()).isTrue();
        store.addProduct("Remera", "REM-1", new BigDecimal("12345.50"), 7);
        SandboxProduct even = store.addProduct("Buzo", "BUZ-1", new BigDecimal("20999.99"), 3);
        SandboxProduct withVariants = store.addProductWithVariants("Gorra", List.of(
                new VariantSpec("GOR-R", new BigDecimal("5000.10"), 2), new VariantSpec("GOR-A", new BigDecimal("5100"), 0)));
        long first = store.newOrder().line("REM-1", 2, 12345.50).status("paid").create();
        long second = store.newOrder().line("BUZ-1", 1, 20999.99).shipping(1500).status("paid").create();

        JumpsellerClient client = client();
        List<JsModel.Product> products = new ArrayList<>();
        client.forEachProduct(credentials, products::add);
        JsModel.Order one = client.order(credentials, first).orElseThrow();
        JsModel.Order two = client.order(credentials, second).orElseThrow();

        assertThat(products).filteredOn(p -> p.id() == even.id()).singleElement()
                .satisfies(p -> assertThat(p.price()).isEqualByComparingTo("20999.99"));
        assertThat(products).filteredOn(p -> p.id() == withVariants.id()).singleElement()
                .satisfies(p -> assertThat(p.variantList()).extracting(JsModel.Variant::sku).containsExactly("GOR-R", "GOR-A"));
        assertThat(one.id()).isEqualTo(first);
        assertThat(one.lines()).singleElement().satisfies(l -> {
            assertThat(l.sku()).isEqualTo("REM-1");
            assertThat(l.price()).isEqualByComparingTo("12345.50");
            assertThat(l.qty()).isEqualByComparingTo("2");
        });
        assertThat(two.id()).isEqualTo(second);
        assertThat(two.isPaid()).isTrue();
        assertThat(two.subtotal()).isEqualByComparingTo("20999.99");
        assertThat(two.shipping()).isEqualByComparingTo("1500");
        assertThat(client.storeInfo(credentials).hooksToken()).isEqualTo(store.hooksToken());
    }

    // ---- contract ---------------------------------------------------------------------------------

    @ParameterizedTest(name = "loose answers: {0}")
    @ValueSource(booleans = {true, false})
    void everyCallOfTheClientConformsToTheOpenApiContract(boolean loose) {
        store.setLoose(loose);
        SandboxProduct plain = store.addProduct("Remera", "REM-1", new BigDecimal("12345.50"), 7);
        SandboxProduct withVariants = store.addProductWithVariants("Gorra", List.of(
                new VariantSpec("GOR-R", new BigDecimal("5000"), 2), new VariantSpec("GOR-A", new BigDecimal("5100"), 0)));
        long paid = store.newOrder().line("REM-1", 1, 12345.50).status("paid").create();
        store.newOrder().line("GOR-R", 2, 5000).status("pending_payment").create();
        JumpsellerClient client = client();

        client.storeInfo(credentials);
        assertThat(client.order(credentials, paid)).isPresent();
        assertThat(client.order(credentials, 987654)).isEmpty();
        assertThat(client.ordersAfter(credentials, 0, 1)).hasSize(2);
        assertThat(client.ordersByStatus(credentials, "paid", 1)).extracting(JsModel.Order::id).containsExactly(paid);
        LocalDate today = LocalDate.now(store.timezone());
        assertThat(client.searchOrders(credentials, "paid", today.minusDays(1), today, 1).orders()).isNotEmpty();
        assertThat(client.newestOrderId(credentials)).isPresent();
        client.attachDocument(credentials, paid, 1, "100001", "0003-00000001", "https://example.com/f.pdf");
        client.forEachProduct(credentials, p -> { });
        client.updateProduct(credentials, plain.id(), Map.of("stock", 12, "stock_unlimited", false));
        client.updateProduct(credentials, plain.id(), Map.of("price", 9999.0));
        long variantId = withVariants.variants().get(0).id();
        client.updateVariant(credentials, withVariants.id(), variantId, Map.of("stock", 3, "stock_unlimited", false));
        client.updateVariant(credentials, withVariants.id(), variantId, Map.of("price", 4500.0));
        JsModel.Hook hook = client.createHook(credentials, "order_paid", "https://connector.example.com/webhooks/jumpseller");
        assertThat(client.hooks(credentials)).extracting(JsModel.Hook::id).contains(hook.id());
        client.deleteHook(credentials, hook.id());
        client.deleteHook(credentials, hook.id()); // already gone: 404 is tolerated

        assertThat(store.documents(paid)).hasSize(1);
        assertThat(store.product(plain.id()).stock()).isEqualTo(12);
        List<RecordedRequest> exchanges = requestsOfThisStore();
        assertThat(exchanges).hasSizeGreaterThanOrEqualTo(17);
        OpenApiContract.jumpseller().assertConforms(exchanges);
    }

    // ---- pacing and 429 ---------------------------------------------------------------------------

    @Test
    void after429TheNextRequestWaitsForTheNextSecondWindow() {
        sandbox.setRateLimits(5, 0);
        // The client is told it may send more than the store allows, so the store answers 429.
        JumpsellerClient client = client("jumpseller.rate-limit.per-second", 100, "jumpseller.rate-limit.per-minute", 1000);

        for (int i = 0; i < 12; i++) {
            assertThat(client.storeInfo(credentials).code()).isEqualTo(store.code());
        }

        List<RecordedRequest> seen = requestsOfThisStore();
        List<Integer> limited = IntStream.range(0, seen.size()).filter(i -> seen.get(i).status() == 429).boxed().toList();
        assertThat(limited).as("12 calls in at most two one-second windows of 5 must meet a 429").isNotEmpty();
        for (int i : limited) {
            assertThat(i).isLessThan(seen.size() - 1);
            long windowOf429 = seen.get(i).at().toEpochMilli() / 1000;
            Instant next = seen.get(i + 1).at();
            assertThat(next).as("the request after the 429 at %s", seen.get(i).at())
                    .isAfterOrEqualTo(Instant.ofEpochMilli((windowOf429 + 1) * 1000));
        }
        assertThat(seen).filteredOn(r -> r.status() == 200).hasSize(12);
    }

    @Test
    void whileBannedTheNextRequestWaitsUntilTheResetTime() {
        sandbox.setRateLimits(3, 0);
        sandbox.setBan(1, Duration.ofMillis(2500)); // the first 429 starts a 2.5 s ban
        JumpsellerClient client = client("jumpseller.rate-limit.per-second", 100, "jumpseller.rate-limit.per-minute", 1000);

        for (int i = 0; i < 8; i++) {
            client.storeInfo(credentials);
        }

        List<RecordedRequest> seen = requestsOfThisStore();
        List<Integer> banned = IntStream.range(0, seen.size())
                .filter(i -> seen.get(i).responseHeaders().containsKey("jumpseller-bannedbyratelimit-reset"))
                .boxed().toList();
        assertThat(banned).as("a call during the ban is answered with the reset header").isNotEmpty();
        for (int i : banned) {
            Instant reset = Instant.parse(seen.get(i).responseHeaders().get("jumpseller-bannedbyratelimit-reset").get(0));
            assertThat(seen.get(i + 1).at()).as("the request after the ban answer at %s", seen.get(i).at())
                    .isAfterOrEqualTo(reset);
        }
        // Each ban (the store re-bans at its next 429 here) costs exactly one request: never hammered during it.
        assertThat(banned.stream().map(i -> seen.get(i).responseHeaders().get("jumpseller-bannedbyratelimit-reset").get(0)))
                .doesNotHaveDuplicates();
        assertThat(seen).filteredOn(r -> r.status() == 200).hasSize(8);
    }

    @Test
    void burstOfHundredsOfCallsFromFourThreadsNeverMeetsA429() throws Exception {
        int perSecond = 20;
        int perMinute = 200;
        int calls = 200;
        sandbox.setRateLimits(perSecond, perMinute);
        JumpsellerClient client = client("jumpseller.rate-limit.per-second", perSecond,
                "jumpseller.rate-limit.per-minute", perMinute);
        store.addProduct("Remera", "REM-1", BigDecimal.TEN, 1);
        long order = store.newOrder().line("REM-1", 1, 10).status("paid").create();

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    switch (n % 3) {
                        case 0 -> client.storeInfo(credentials);
                        case 1 -> client.order(credentials, order).orElseThrow();
                        default -> client.hooks(credentials);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<RecordedRequest> seen = requestsOfThisStore();
        assertThat(seen).hasSize(calls).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(store.rateLimitHits()).isZero();
        assertThat(store.maxPerSecondObserved()).isLessThanOrEqualTo(perSecond);
        assertThat(store.maxPerMinuteObserved()).isLessThanOrEqualTo(perMinute);
        double seconds = Duration.between(seen.get(0).at(), seen.get(seen.size() - 1).at()).toNanos() / 1e9;
        double rate = (calls - perSecond) / seconds; // after the first second's burst
        System.out.printf("Jumpseller burst: %d calls from 4 threads in %.2f s, sustained %.1f/s = %.0f %% of %d/s, "
                + "max %d in one second, 0 x 429%n", calls, seconds, rate, 100 * rate / perSecond, perSecond,
                store.maxPerSecondObserved());
    }

    @Test
    void aMissingOrderIsEmptyNotAnError() {
        assertThat(client().order(credentials, 424242)).isEqualTo(Optional.empty());
    }
}
