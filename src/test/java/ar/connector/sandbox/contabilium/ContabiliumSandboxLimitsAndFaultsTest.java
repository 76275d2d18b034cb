package ar.connector.sandbox.contabilium;

import static ar.connector.sandbox.contabilium.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContabiliumSandboxLimitsAndFaultsTest {

    static final String EMAIL = "tienda@example.com";

    ContabiliumSandbox sandbox;
    SandboxAccount account;
    SandboxHttp cb;
    long cliente;
    String today = LocalDate.now(ZoneId.of("America/Argentina/Buenos_Aires")).toString();

    @BeforeEach
    void start() {
        sandbox = ContabiliumSandbox.start();
        account = sandbox.addAccount(EMAIL, "k", "RI", "Tienda SA", "30712345671").seedDefaults();
        cliente = account.addCustomer("CF", "CF", "DNI", "30111222");
        cb = new SandboxHttp(sandbox.baseUrl()).login(EMAIL, "k");
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    // ------------------------------------------------------------------ limits

    @Test
    void overTheLimitAnswers429AndBlocksForTheConfiguredDuration() {
        // scaled down from 25 per 10 s / 60 s; the period leaves room for a cold JVM's first calls
        sandbox.setLimits(5, Duration.ofSeconds(1), 5, Duration.ofMillis(1500));
        for (int i = 0; i < 5; i++) {
            assertThat(info()).isEqualTo(200);
        }
        long blockedAt = System.nanoTime(); // taken before the call: the block starts after it
        assertThat(info()).isEqualTo(429);
        // blocked: every call answers 429 (and does not extend the block) until the block ends
        assertThat(info()).isEqualTo(429);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(40)).until(() -> info() == 200);
        assertThat(Duration.ofNanos(System.nanoTime() - blockedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(sandbox.rateLimitHits()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void inventoryEndpointsHaveTheirOwnBudget() {
        sandbox.setLimits(3, Duration.ofSeconds(10), 3, Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            assertThat(info()).isEqualTo(200);
            assertThat(cb.get("/api/inventarios/getDepositos").statusCode()).isEqualTo(200);
        }
        assertThat(cb.get("/api/inventarios/getDepositos").statusCode()).isEqualTo(429);
        assertThat(info()).isEqualTo(429); // the block covers every call
    }

    @Test
    void theWindowSlidesSoFixedWindowBurstsAreCaught() {
        SlidingWindowLimiter l = new SlidingWindowLimiter();
        long ms = 1_000_000;
        l.configure(5, 1000 * ms, 30, 60_000 * ms);
        // 5 calls at the end of one "fixed" second and 5 at the start of the next: 10 within 200 ms
        for (int i = 0; i < 5; i++) {
            assertThat(l.acquire("a", false, (900 + i) * ms)).isEqualTo(SlidingWindowLimiter.Verdict.ADMIT);
        }
        assertThat(l.acquire("a", false, 1_100 * ms)).isEqualTo(SlidingWindowLimiter.Verdict.OVER_LIMIT);
        assertThat(l.acquire("a", false, 30_000 * ms)).isEqualTo(SlidingWindowLimiter.Verdict.BLOCKED);
        assertThat(l.acquire("a", false, 61_101 * ms)).isEqualTo(SlidingWindowLimiter.Verdict.ADMIT);
        assertThat(l.acquire("b", false, 1_100 * ms)).isEqualTo(SlidingWindowLimiter.Verdict.ADMIT);
    }

    @Test
    void limitsArePerAccountByDefaultAndPerIpWhenAsked() {
        sandbox.addAccount("otra@example.com", "o", "RI", "Otra", "30712345671").seedDefaults();
        SandboxHttp other = new SandboxHttp(sandbox.baseUrl()).login("otra@example.com", "o");
        sandbox.setLimits(2, Duration.ofSeconds(10), 30, Duration.ofSeconds(10));
        assertThat(List.of(info(), info(), other.get("/api/usuarios/obtenerinfo").statusCode()))
                .containsExactly(200, 200, 200);

        sandbox.setLimitScope(ContabiliumSandbox.LimitScope.IP);
        assertThat(List.of(info(), other.get("/api/usuarios/obtenerinfo").statusCode(), info()))
                .containsExactly(200, 200, 429);
    }

    @Test
    void unlimitedStillMeasuresTheBusiestWindowAndCountsCalls() {
        sandbox.unlimited();
        IntStream.range(0, 30).forEach(i -> assertThat(info()).isEqualTo(200));
        assertThat(sandbox.maxRequestsInAnyWindow(EMAIL)).isEqualTo(30);
        assertThat(sandbox.count(Endpoint.OBTENER_INFO)).isEqualTo(30);
        assertThat(sandbox.count(EMAIL, Endpoint.OBTENER_INFO)).isEqualTo(30);
        assertThat(sandbox.count(EMAIL, Endpoint.TOKEN)).isEqualTo(1);
        assertThat(sandbox.rateLimitHits()).isZero();
    }

    // ------------------------------------------------------------------ emitirFE concurrency guard

    @Test
    void overlappingEmitirCallsOfOneAccountAreCounted() {
        sandbox.setEmitirLatency(Duration.ofMillis(300));
        long a = crear("a");
        long b = crear("b");
        emitir(a); // sequential: fine
        assertThat(sandbox.concurrentEmitirViolations()).isZero();

        long c = crear("c");
        long d = crear("d");
        CompletableFuture<HttpResponse<String>> f1 = cb.getAsync("/api/comprobantes/emitirFE?id=" + c);
        CompletableFuture<HttpResponse<String>> f2 = cb.getAsync("/api/comprobantes/emitirFE?id=" + d);
        CompletableFuture.allOf(f1, f2).join();
        assertThat(sandbox.concurrentEmitirViolations()).isEqualTo(1);
        emitir(b);
        assertThat(sandbox.concurrentEmitirViolations()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ faults

    @Test
    void http500And503FailOnlyTheNextCalls() {
        sandbox.failNext(Endpoint.OBTENER_INFO, Fault.HTTP_500, 1);
        sandbox.failNext(Endpoint.OBTENER_INFO, Fault.HTTP_503, 1);
        assertThat(List.of(info(), info(), info())).containsExactly(500, 503, 200);
    }

    @Test
    void timeoutHoldsPastTheReadTimeout() {
        sandbox.setTimeoutHold(Duration.ofMillis(600));
        sandbox.failNext(Endpoint.OBTENER_INFO, Fault.TIMEOUT, 1);
        cb.readTimeout = Duration.ofMillis(200);
        assertThatThrownBy(this::info).hasRootCauseInstanceOf(HttpTimeoutException.class);
        assertThat(info()).isEqualTo(200);
    }

    @Test
    void latencySlowsButServes() {
        sandbox.failNext(Endpoint.OBTENER_INFO, Fault.latency(Duration.ofMillis(250)), 1);
        long t0 = System.nanoTime();
        assertThat(info()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void crearFailsBeforeCreateLeavesNothing() {
        sandbox.failNext(Endpoint.CREAR, Fault.CREAR_FAILS_BEFORE_CREATE, 1);
        assertThat(cb.post("/api/comprobantes/crear", crearBody("x")).statusCode()).isEqualTo(500);
        assertThat(account.documents()).isEmpty();
    }

    @Test
    void crearFailsAfterCreateLeavesADraftFindableByRefExterna() {
        sandbox.failNext(Endpoint.CREAR, Fault.CREAR_FAILS_AFTER_CREATE, 1);
        assertThat(cb.post("/api/comprobantes/crear", crearBody("jumpseller:t:1")).statusCode()).isEqualTo(500);
        assertThat(account.drafts()).singleElement().extracting(SandboxDocument::refExterna).isEqualTo("jumpseller:t:1");
        String search = "/api/comprobantes/search?filtro=&fechaDesde=" + today + "&fechaHasta=" + today + "&page=1";
        assertThat(json(cb.get(search)).get("Items").get(0).get("RefExterna").asText()).isEqualTo("jumpseller:t:1");
    }

    @Test
    void crearTimeoutAfterCreateLeavesADraft() {
        sandbox.setTimeoutHold(Duration.ofMillis(600));
        sandbox.failNext(Endpoint.CREAR, Fault.CREAR_TIMEOUT_AFTER_CREATE, 1);
        cb.readTimeout = Duration.ofMillis(200);
        assertThatThrownBy(() -> cb.post("/api/comprobantes/crear", crearBody("r")))
                .hasRootCauseInstanceOf(HttpTimeoutException.class);
        assertThat(account.drafts()).hasSize(1);
    }

    @Test
    void emitirFailsAfterCaeKeepsTheCaeOnTheDocument() {
        long id = crear("r");
        sandbox.failNext(Endpoint.EMITIR_FE, Fault.EMITIR_FAILS_AFTER_CAE, 1);
        assertThat(cb.get("/api/comprobantes/emitirFE?id=" + id).statusCode()).isEqualTo(500);
        // reading the document back reveals the CAE; re-calling emitirFE would not
        assertThat(json(cb.get("/api/comprobantes?id=" + id)).get("Cae").asText()).hasSize(14);
        assertThat(emitir(id).get("CAE").asText()).isEmpty();
        assertThat(account.issuedInvoices()).hasSize(1);
    }

    @Test
    void emitirTimeoutAfterCaeKeepsTheCaeOnTheDocument() {
        long id = crear("r");
        sandbox.setTimeoutHold(Duration.ofMillis(600));
        sandbox.failNext(Endpoint.EMITIR_FE, Fault.EMITIR_TIMEOUT_AFTER_CAE, 1);
        cb.readTimeout = Duration.ofMillis(250);
        assertThatThrownBy(() -> cb.get("/api/comprobantes/emitirFE?id=" + id))
                .hasRootCauseInstanceOf(HttpTimeoutException.class);
        assertThat(account.document(id).orElseThrow().issued()).isTrue();
    }

    @Test
    void failRateAppliesApplicableKindsAndClearFaultsStopsIt() {
        sandbox.failRate(1.0, Set.of(Fault.HTTP_503, Fault.CREAR_FAILS_BEFORE_CREATE));
        assertThat(info()).isEqualTo(503); // the crear-only kind never hits other endpoints
        assertThat(cb.token(EMAIL, "k").statusCode()).isEqualTo(503);
        sandbox.clearFaults();
        assertThat(info()).isEqualTo(200);
    }

    @Test
    void downAnswers503EverywhereAndGlobalLatencyDelays() {
        sandbox.setDown(true);
        assertThat(info()).isEqualTo(503);
        assertThat(cb.token(EMAIL, "k").statusCode()).isEqualTo(503);
        sandbox.setDown(false);
        sandbox.setLatency(Duration.ofMillis(150));
        long t0 = System.nanoTime();
        assertThat(info()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    // ------------------------------------------------------------------ helpers

    int info() {
        return cb.get("/api/usuarios/obtenerinfo").statusCode();
    }

    String crearBody(String ref) {
        return """
                {"IdCliente":%d,"TipoFc":"FCB","Modo":"E","PuntoVenta":1,"CondicionVenta":"Contado","TipoConcepto":1,
                 "FechaEmision":"%sT00:00:00","RefExterna":"%s","IdComprobanteAsociado":null,
                 "Items":[{"Codigo":"ENVIO","Concepto":"Envío","Cantidad":1,"PrecioUnitario":100,"Iva":21,
                 "Bonificacion":0}]}""".formatted(cliente, today, ref);
    }

    long crear(String ref) {
        HttpResponse<String> r = cb.post("/api/comprobantes/crear", crearBody(ref));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Long.parseLong(r.body());
    }

    com.fasterxml.jackson.databind.JsonNode emitir(long id) {
        HttpResponse<String> r = cb.get("/api/comprobantes/emitirFE?id=" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }
}
