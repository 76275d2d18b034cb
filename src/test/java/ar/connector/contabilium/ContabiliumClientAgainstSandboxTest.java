package ar.connector.contabilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ar.connector.api.ApiBudgets;
import ar.connector.api.ApiCallException;
import ar.connector.sandbox.contabilium.ContabiliumSandbox;
import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.Fault;
import ar.connector.sandbox.contabilium.RecordedCall;
import ar.connector.sandbox.contabilium.SandboxAccount;
import ar.connector.testsupport.TestConnector;

/**
 * The production {@link ContabiliumClient} against the Contabilium sandbox: pagination, the cached
 * token and its one refresh, the block after a 429, pacing under the limits, lenient reading, and
 * which calls are retried (reads) and which never are (crear, emitirFE).
 */
class ContabiliumClientAgainstSandboxTest {

    private static ContabiliumSandbox sandbox;
    private static final AtomicInteger accounts = new AtomicInteger();

    private SandboxAccount account;
    private ContabiliumAccount credentials;

    @BeforeAll
    static void startSandbox() {
        sandbox = ContabiliumSandbox.start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void freshAccount() {
        sandbox.unlimited();
        sandbox.resetCalls();
        String email = "cuenta" + accounts.incrementAndGet() + "@example.com";
        account = sandbox.addAccount(email, "key-" + email, "RI", "Tienda " + email + " SA", "30712345674").seedDefaults();
        credentials = new ContabiliumAccount(email, "key-" + email);
    }

    @AfterEach
    void clearFaults() {
        sandbox.clearFaults();
        sandbox.unlimited();
    }

    private static ContabiliumClient client(Object... extra) {
        List<Object> kv = new ArrayList<>(List.of("contabilium.api-url", sandbox.baseUrl(),
                "api.retry-attempts", 3, "api.retry-backoff", "50ms"));
        kv.addAll(List.of(extra));
        return new ContabiliumClient(TestConnector.properties(kv.toArray()), TestConnector.metrics(), ApiBudgets.inMemory());
    }

    /** This account's calls of one endpoint, refused ones (no account known: 401) included. */
    private List<RecordedCall> calls(Endpoint endpoint) {
        return sandbox.calls().stream()
                .filter(c -> c.endpoint() == endpoint && (c.account() == null || account.email().equalsIgnoreCase(c.account())))
                .toList();
    }

    private List<RecordedCall> apiCalls() {
        return sandbox.calls().stream()
                .filter(c -> c.endpoint() != Endpoint.TOKEN && account.email().equalsIgnoreCase(c.account())).toList();
    }

    private long customer() {
        return account.addCustomer("Consumidor Final", "CF", "DNI", "0");
    }

    private CbModel.ComprobanteRequest invoice(long idCliente) {
        long idConcepto = account.addConcepto("REM-1", "Remera", new BigDecimal("12100"), new BigDecimal("21"));
        return new CbModel.ComprobanteRequest(idCliente, "FCB", "E", 1, "Contado", 1, null,
                LocalDate.now(ContabiliumSandbox.ARGENTINA) + "T00:00:00", null, "Pedido #1", "jumpseller:tienda:1",
                null, BigDecimal.ZERO, BigDecimal.ZERO, null, null, false,
                List.of(new CbModel.Item(idConcepto, "REM-1", "Remera", BigDecimal.ONE, new BigDecimal("10000"),
                        Alicuota.rate(new BigDecimal("21")), BigDecimal.ZERO)));
    }

    // ---- pagination ------------------------------------------------------------------------------

    @Test
    void conceptsStockAndPriceListsAreReadAcrossPagesStoppingOnTheShortPage() {
        IntStream.rangeClosed(1, 119).forEach(i ->
                account.addConcepto("P" + i, "Producto " + i, new BigDecimal("121"), new BigDecimal("21")));
        IntStream.rangeClosed(1, 119).forEach(i -> account.setStock(1, "P" + i, i, 0));
        account.addPriceList(7, "Mayorista");
        IntStream.rangeClosed(1, 100).forEach(i -> account.setListPrice(7, "P" + i, new BigDecimal("100"), new BigDecimal("21")));
        ContabiliumClient client = client();

        List<CbModel.Concepto> concepts = new ArrayList<>();
        client.forEachConcepto(credentials, concepts::add);
        List<CbModel.StockRow> stock = new ArrayList<>();
        client.forEachStockRow(credentials, 1, stock::add);
        List<CbModel.PriceListItem> prices = new ArrayList<>();
        client.forEachPriceListItem(credentials, 7, prices::add);

        assertThat(concepts).hasSize(120).extracting(CbModel.Concepto::codigo).doesNotHaveDuplicates().contains("ENVIO", "P119");
        assertThat(calls(Endpoint.CONCEPTO_SEARCH)).hasSize(3);
        assertThat(stock).extracting(CbModel.StockRow::codigo).contains("P1", "P119").doesNotHaveDuplicates();
        assertThat(stock).filteredOn(r -> "P119".equals(r.codigo())).singleElement()
                .satisfies(r -> assertThat(r.stockConReservas()).isEqualByComparingTo("119"));
        assertThat(calls(Endpoint.STOCK_BY_DEPOSITO)).hasSize((stock.size() / ContabiliumClient.PAGE_SIZE) + 1);
        // 100 items: two full pages, then an empty third one ends the reading.
        assertThat(prices).hasSize(100).extracting(CbModel.PriceListItem::codigo).doesNotHaveDuplicates();
        assertThat(calls(Endpoint.LISTA_GET)).extracting(RecordedCall::uri)
                .allSatisfy(uri -> assertThat(uri).contains("pageSize=50"))
                .hasSize(3);
    }

    // ---- token -----------------------------------------------------------------------------------

    @Test
    void theTokenIsCachedAndRefreshedOnceAfterA401() {
        ContabiliumClient client = client();
        client.accountInfo(credentials);
        client.puntosDeVenta(credentials);
        assertThat(calls(Endpoint.TOKEN)).hasSize(1);

        sandbox.expireTokens();
        assertThat(client.accountInfo(credentials).razonSocial()).isEqualTo(account.razonSocial());

        assertThat(calls(Endpoint.TOKEN)).hasSize(2);
        assertThat(calls(Endpoint.OBTENER_INFO)).extracting(RecordedCall::status).containsExactly(200, 401, 200);
        client.condicionesVenta(credentials);
        assertThat(calls(Endpoint.TOKEN)).hasSize(2);
    }

    @Test
    void aRegeneratedKeyIsUnauthorizedAfterOneTokenAttemptNotALoop() {
        ContabiliumClient client = client();
        client.accountInfo(credentials);
        account.regenerateKey("a-new-key");

        assertThatThrownBy(() -> client.accountInfo(credentials)).isInstanceOfSatisfying(ApiCallException.class,
                e -> assertThat(e.kind()).isEqualTo(ApiCallException.Kind.UNAUTHORIZED));
        assertThat(calls(Endpoint.OBTENER_INFO)).extracting(RecordedCall::status).containsExactly(200, 401);
        assertThat(calls(Endpoint.TOKEN)).extracting(RecordedCall::status).containsExactly(200, 400);
    }

    @Test
    void wrongCredentialsAreUnauthorized() {
        assertThatThrownBy(() -> client().verifyCredentials(new ContabiliumAccount(account.email(), "wrong")))
                .isInstanceOfSatisfying(ApiCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(ApiCallException.Kind.UNAUTHORIZED));
    }

    // ---- 429 and pacing --------------------------------------------------------------------------

    @Test
    void after429TheNextCallWaitsTheWholeBlock() {
        Duration block = Duration.ofMillis(1500);
        sandbox.setLimits(5, Duration.ofSeconds(1), 30, block);
        // The client believes it may send 10 per second: the sandbox answers the 6th with 429.
        ContabiliumClient client = client("contabilium.rate-limit.requests", 10, "contabilium.rate-limit.period", "1s",
                "contabilium.rate-limit.block", "1500ms");

        for (int i = 0; i < 8; i++) {
            assertThat(client.accountInfo(credentials).cuit()).isEqualTo(account.cuit());
        }

        List<RecordedCall> seen = apiCalls();
        assertThat(seen).extracting(RecordedCall::status).containsExactly(200, 200, 200, 200, 200, 429, 200, 200, 200);
        RecordedCall limited = seen.get(5);
        RecordedCall next = seen.get(6);
        assertThat(Duration.between(limited.at(), next.at())).as("pause after the 429").isGreaterThanOrEqualTo(block);
    }

    @Test
    void burstOfSeveralHundredCallsFromFourThreadsStaysUnderTheLimit() throws Exception {
        int requests = 25;
        int inventoryRequests = 30;
        Duration period = Duration.ofSeconds(1);
        sandbox.setLimits(requests, period, inventoryRequests, Duration.ofSeconds(5));
        ContabiliumClient client = client("contabilium.rate-limit.requests", requests,
                "contabilium.rate-limit.inventory-requests", inventoryRequests, "contabilium.rate-limit.period", "1s",
                "contabilium.rate-limit.block", "5s");
        account.addConcepto("REM-1", "Remera", new BigDecimal("12100"), new BigDecimal("21"));
        account.setStock(1, "REM-1", 5, 1);
        client.accountInfo(credentials); // the token, once
        int hitsBefore = sandbox.rateLimitHits();
        int general = 200;
        int inventory = 240;

        // Two threads draw on the general budget and two on the inventory budget, at the same time.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean inv = t >= 2;
                int each = (inv ? inventory : general) / 2;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        if (inv) {
                            assertThat(client.stockBySku(credentials, "REM-1")).isPresent();
                        } else {
                            assertThat(client.concepto(credentials, "REM-1")).isPresent();
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(90, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<RecordedCall> seen = apiCalls();
        List<RecordedCall> generalCalls = seen.stream().filter(c -> c.endpoint() == Endpoint.CONCEPTO_BY_CODIGO).toList();
        List<RecordedCall> inventoryCalls = seen.stream().filter(c -> c.endpoint().inventory()).toList();
        assertThat(seen).hasSize(1 + general + inventory).allSatisfy(c -> assertThat(c.status()).isEqualTo(200));
        assertThat(sandbox.rateLimitHits() - hitsBefore).isZero();
        assertThat(sandbox.maxRequestsInAnyWindow(account.email())).isLessThanOrEqualTo(requests);
        assertThat(maxInAnyWindow(inventoryCalls, period)).isLessThanOrEqualTo(inventoryRequests);
        System.out.printf("Contabilium burst: %d calls from 4 threads; general %s; inventory %s; 0 x 429%n",
                general + inventory, share(generalCalls, requests, period), share(inventoryCalls, inventoryRequests, period));
    }

    private static int maxInAnyWindow(List<RecordedCall> calls, Duration period) {
        List<RecordedCall> sorted = calls.stream().sorted(Comparator.comparing(RecordedCall::at)).toList();
        int max = 0;
        for (int from = 0, to = 0; from < sorted.size(); from++) {
            while (to < sorted.size() && Duration.between(sorted.get(from).at(), sorted.get(to).at()).compareTo(period) < 0) {
                to++;
            }
            max = Math.max(max, to - from);
        }
        return max;
    }

    /** Sustained rate after the first window's burst, as a share of the limit. */
    private static String share(List<RecordedCall> calls, int limit, Duration period) {
        List<RecordedCall> sorted = calls.stream().sorted(Comparator.comparing(RecordedCall::at)).toList();
        double seconds = Duration.between(sorted.get(0).at(), sorted.get(sorted.size() - 1).at()).toNanos() / 1e9;
        double allowed = limit / (period.toNanos() / 1e9);
        double rate = (sorted.size() - limit) / seconds;
        return String.format("%d calls in %.2f s, sustained %.1f/s = %.0f %% of %.0f/s, max %d in any window",
                sorted.size(), seconds, rate, 100 * rate / allowed, allowed, maxInAnyWindow(sorted, period));
    }

    // ---- lenient reading -------------------------------------------------------------------------

    @Test
    void looseAnswersAreRead() {
        sandbox.setLoose(true);
        try {
            long idConcepto = account.addConcepto("REM-1", "Remera", new BigDecimal("12100"), new BigDecimal("21"));
            account.setStock(1, "REM-1", 5, 1);
            account.addPriceList(7, "Mayorista");
            account.setListPrice(7, "REM-1", new BigDecimal("9680"), new BigDecimal("21"));
            long existing = account.addCustomer("Ana Gómez", "CF", "DNI", "30111222");
            ContabiliumClient client = client();

            CbModel.Concepto concepto = client.concepto(credentials, "rem-1").orElseThrow();
            assertThat(concepto.id()).isEqualTo(idConcepto);
            assertThat(concepto.precioFinal()).isEqualByComparingTo("12100");
            assertThat(concepto.precio()).isEqualByComparingTo("10000");
            assertThat(concepto.iva()).isEqualTo(Alicuota.of("21"));
            assertThat(concepto.stock()).isEqualByComparingTo("5");

            CbModel.Cliente found = client.clienteByDoc(credentials, "DNI", "30111222").orElseThrow();
            assertThat(found.id()).isEqualTo(existing);
            assertThat(found.razonSocial()).isEqualTo("Ana Gómez");
            assertThat(found.nroDoc()).isEqualTo("30111222");

            long created = client.createCliente(credentials, new CbModel.Cliente(null, "Bruno Díaz", "CF", "DNI",
                    "28999888", "F", "bruno@example.com", null, "Calle 1", "1000", 10L, 2L, "CABA"));
            assertThat(account.customers()).anySatisfy(c -> assertThat(c.id()).isEqualTo(created));

            long draft = client.crear(credentials, new CbModel.ComprobanteRequest(existing, "FCB", "E", 1, "Contado", 1,
                    null, LocalDate.now(ContabiliumSandbox.ARGENTINA) + "T00:00:00", null, "Pedido #1",
                    "jumpseller:tienda:1", null, BigDecimal.ZERO, BigDecimal.ZERO, null, null, false,
                    List.of(new CbModel.Item(idConcepto, "REM-1", "Remera", BigDecimal.ONE, new BigDecimal("10000"),
                            Alicuota.rate(new BigDecimal("21")), BigDecimal.ZERO))));
            assertThat(account.document(draft)).isPresent();
            CbModel.Emision emision = client.emitirFE(credentials, draft);
            assertThat(emision.granted()).isTrue();
            assertThat(emision.total()).isEqualByComparingTo("12100");
            CbModel.Comprobante read = client.comprobante(credentials, draft).orElseThrow();
            assertThat(read.importeTotalNeto()).isEqualByComparingTo("12100");
            assertThat(read.importeTotalBruto()).isEqualByComparingTo("10000");
            assertThat(read.refExterna()).isEqualTo("jumpseller:tienda:1");

            List<CbModel.StockRow> rows = new ArrayList<>();
            client.forEachStockRow(credentials, 1, rows::add);
            assertThat(rows).filteredOn(r -> "REM-1".equals(r.codigo())).singleElement().satisfies(r -> {
                assertThat(r.idConcepto()).isEqualTo(idConcepto);
                assertThat(r.stockConReservas()).isEqualByComparingTo("3"); // 5 - 1 reserved - 1 invoiced
            });
            List<CbModel.PriceListItem> prices = new ArrayList<>();
            client.forEachPriceListItem(credentials, 7, prices::add);
            assertThat(prices).singleElement().satisfies(p -> {
                assertThat(p.precioFinal()).isEqualByComparingTo("9680");
                assertThat(p.iva()).isEqualTo(Alicuota.of("21"));
            });
        } finally {
            sandbox.setLoose(false);
        }
    }

    // ---- retries ---------------------------------------------------------------------------------

    @Test
    void crearIsNotRetriedAfterA5xx() {
        sandbox.failNext(Endpoint.CREAR, Fault.CREAR_FAILS_AFTER_CREATE, 1);
        ContabiliumClient client = client();
        CbModel.ComprobanteRequest request = invoice(customer());

        assertThatThrownBy(() -> client.crear(credentials, request)).isInstanceOfSatisfying(ApiCallException.class,
                e -> assertThat(e.kind()).isEqualTo(ApiCallException.Kind.UNAVAILABLE));
        assertThat(calls(Endpoint.CREAR)).extracting(RecordedCall::status).containsExactly(500);
        assertThat(account.drafts()).hasSize(1);
    }

    @Test
    void crearIsNotRetriedAfterATimeout() {
        sandbox.setTimeoutHold(Duration.ofMillis(1500));
        sandbox.failNext(Endpoint.CREAR, Fault.CREAR_TIMEOUT_AFTER_CREATE, 1);
        ContabiliumClient client = client("contabilium.read-timeout", "400ms");
        CbModel.ComprobanteRequest request = invoice(customer());

        assertThatThrownBy(() -> client.crear(credentials, request)).isInstanceOfSatisfying(ApiCallException.class,
                e -> assertThat(e.kind()).isEqualTo(ApiCallException.Kind.UNAVAILABLE));
        // Arrivals are counted when they come in; the held call is only recorded once answered.
        assertThat(sandbox.maxRequestsInAnyWindow(account.email())).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> calls(Endpoint.CREAR).size() == 1);
        assertThat(account.drafts()).hasSize(1);
    }

    @Test
    void emitirFeIsNotRetriedAfterA5xxNorAfterATimeout() {
        sandbox.setTimeoutHold(Duration.ofMillis(1500));
        ContabiliumClient client = client("contabilium.read-timeout", "400ms");
        long first = client.crear(credentials, invoice(customer()));
        sandbox.failNext(Endpoint.EMITIR_FE, Fault.EMITIR_FAILS_AFTER_CAE, 1);

        assertThatThrownBy(() -> client.emitirFE(credentials, first)).isInstanceOfSatisfying(ApiCallException.class,
                e -> assertThat(e.kind()).isEqualTo(ApiCallException.Kind.UNAVAILABLE));
        assertThat(calls(Endpoint.EMITIR_FE)).extracting(RecordedCall::status).containsExactly(500);

        long second = client.crear(credentials, invoice(customer()));
        sandbox.failNext(Endpoint.EMITIR_FE, Fault.EMITIR_TIMEOUT_AFTER_CAE, 1);
        assertThatThrownBy(() -> client.emitirFE(credentials, second)).isInstanceOfSatisfying(ApiCallException.class,
                e -> assertThat(e.kind()).isEqualTo(ApiCallException.Kind.UNAVAILABLE));
        assertThat(sandbox.maxRequestsInAnyWindow(account.email())).isEqualTo(4); // crear, emitirFE, crear, emitirFE
        await().atMost(Duration.ofSeconds(10)).until(() -> calls(Endpoint.EMITIR_FE).size() == 2);
        assertThat(account.issuedInvoices()).hasSize(2);
        assertThat(account.reissueAttempts()).isZero();
    }

    @Test
    void readsAreRetriedWithBackoffAfter5xxAndTimeouts() {
        sandbox.setTimeoutHold(Duration.ofMillis(1500));
        ContabiliumClient client = client("contabilium.read-timeout", "400ms");
        sandbox.failNext(Endpoint.OBTENER_INFO, Fault.HTTP_503, 1);
        sandbox.failNext(Endpoint.OBTENER_INFO, Fault.HTTP_500, 1);

        assertThat(client.accountInfo(credentials).condicionIva()).isEqualTo("RI");

        List<RecordedCall> info = calls(Endpoint.OBTENER_INFO);
        assertThat(info).extracting(RecordedCall::status).containsExactly(503, 500, 200);
        assertThat(Duration.between(info.get(0).at(), info.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(Duration.between(info.get(1).at(), info.get(2).at())).isGreaterThanOrEqualTo(Duration.ofMillis(100));

        sandbox.failNext(Endpoint.PUNTOS_DE_VENTA, Fault.TIMEOUT, 1);
        assertThat(client.puntosDeVenta(credentials)).extracting(CbModel.PuntoDeVenta::id).containsExactly(1L);
        await().atMost(Duration.ofSeconds(10)).until(() -> calls(Endpoint.PUNTOS_DE_VENTA).size() == 2);
    }

    @Test
    void readsGiveUpAfterTheConfiguredAttempts() {
        sandbox.failNext(Endpoint.CONDICIONES_VENTA, Fault.HTTP_503, 5);
        ContabiliumClient client = client();

        assertThatThrownBy(() -> client.condicionesVenta(credentials)).isInstanceOfSatisfying(ApiCallException.class,
                e -> assertThat(e.kind()).isEqualTo(ApiCallException.Kind.UNAVAILABLE));
        assertThat(calls(Endpoint.CONDICIONES_VENTA)).hasSize(3);
    }
}
