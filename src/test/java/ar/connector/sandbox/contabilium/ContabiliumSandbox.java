package ar.connector.sandbox.contabilium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A faithful, stateful, in-process Contabilium REST API for tests, following
 * {@code contracts/contabilium/README.md}: OAuth token, reference data, customers, concepts, documents
 * with the contract's rounding rule and AFIP numbering, stock per warehouse, price lists, sliding-window
 * rate limits with a block, a guard against concurrent emitirFE, and fault injection including the two
 * fiscal crash windows. JDK HttpServer + Jackson only, so it starts in milliseconds.
 *
 * <p>Choices where the contract leaves room (all documented in the methods that implement them):
 * numbering is per point of sale and document type; emitirFE on an already issued document answers
 * 200 with an {@code Error} and no CAE; business errors are 500, malformed input 400; {@code /token} is
 * never rate limited; the rate limit applies to authenticated {@code /api/*} calls.
 */
public final class ContabiliumSandbox implements AutoCloseable {

    public static final ZoneId ARGENTINA = ZoneId.of("America/Argentina/Buenos_Aires");
    /** Pages {@code comprobantes/search} answers at most; beyond them it answers no documents. */
    static final int SEARCH_MAX_PAGES = 20;

    /** Whose budget a call spends: the account's (default) or the source IP's. */
    public enum LimitScope { ACCOUNT, IP }

    private record TokenInfo(String email, Instant expiresAt) {
    }

    private record Response(int status, String contentType, byte[] body) {
    }

    private record Request(HttpExchange exchange, Endpoint endpoint, Map<String, String> query, String body,
                           SandboxAccount account) {
        String q(String name) {
            return query.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final URI baseUrl;

    private final Map<String, SandboxAccount> accounts = new ConcurrentHashMap<>();
    private final Map<String, TokenInfo> tokens = new ConcurrentHashMap<>();
    private final Map<String, Object[]> publicLinks = new ConcurrentHashMap<>();
    private final List<RecordedCall> calls = Collections.synchronizedList(new ArrayList<>());
    private final SlidingWindowLimiter limiter = new SlidingWindowLimiter();
    private final Map<Endpoint, Queue<Fault>> nextFaults = new EnumMap<>(Endpoint.class);

    private final AtomicLong customerIds = new AtomicLong(4700);
    private final AtomicLong conceptIds = new AtomicLong(1000);
    private final AtomicLong documentIds = new AtomicLong(100_000);
    private final AtomicLong caeSeq = new AtomicLong();
    private final AtomicInteger rateLimitHits = new AtomicInteger();
    private final AtomicInteger emitirViolations = new AtomicInteger();

    private volatile java.util.concurrent.CountDownLatch emitirHold;
    private final AtomicInteger emitirHeld = new AtomicInteger();
    private volatile LimitScope limitScope = LimitScope.ACCOUNT;
    private volatile boolean loose;
    private volatile boolean down;
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration emitirLatency = Duration.ofMillis(20);
    private volatile Duration timeoutHold = Duration.ofSeconds(5);
    private volatile Duration tokenTtl = Duration.ofSeconds(86399);
    private volatile long blockSeconds = 60;
    private volatile Clock clock = Clock.system(ARGENTINA);
    private volatile boolean dateChecks = true;
    private volatile BigDecimal identificationThreshold = new BigDecimal("10000000");
    private double failShare;
    private List<Fault> failKinds = List.of();
    private Random random = new Random(42);

    private ContabiliumSandbox(int port, int threads) {
        server = ar.connector.sandbox.SandboxServer.create(port, 64);
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "contabilium-sandbox");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
        baseUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public static ContabiliumSandbox start() {
        return new ContabiliumSandbox(0, 16);
    }

    public static ContabiliumSandbox start(int port) {
        return new ContabiliumSandbox(port, 16);
    }

    /**
     * With {@code threads} request threads instead of 16: the live service serves many accounts at
     * once, so a benchmark with hundreds of accounts and a slow emitirFE must not queue on the sandbox.
     */
    public static ContabiliumSandbox start(int port, int threads) {
        return new ContabiliumSandbox(port, threads);
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public int port() {
        return baseUrl.getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow(); // interrupts requests held by TIMEOUT faults
    }

    // ------------------------------------------------------------------ test API: accounts and settings

    public SandboxAccount addAccount(String email, String apiKey, String condicionIva, String razonSocial, String cuit) {
        SandboxAccount a = new SandboxAccount(this, email, apiKey, condicionIva, razonSocial, cuit);
        if (accounts.putIfAbsent(email.toLowerCase(Locale.ROOT), a) != null) {
            throw new IllegalArgumentException("account exists: " + email);
        }
        return a;
    }

    public SandboxAccount account(String email) {
        SandboxAccount a = accounts.get(email.toLowerCase(Locale.ROOT));
        if (a == null) {
            throw new IllegalArgumentException("no account " + email);
        }
        return a;
    }

    /** Enforce {@code requests} per sliding {@code period} (inventory: its own budget), blocking for {@code block} when exceeded. */
    public void setLimits(int requests, Duration period, int inventoryRequests, Duration block) {
        limiter.configure(requests, period.toNanos(), inventoryRequests, block.toNanos());
        blockSeconds = Math.max(1, (block.toMillis() + 999) / 1000);
    }

    /** No 429s; windows are still measured ({@link #maxRequestsInAnyWindow}) with the current period. */
    public void unlimited() {
        limiter.unlimited();
    }

    public void setLimitScope(LimitScope scope) {
        limitScope = scope;
        limiter.reset();
    }

    /**
     * Loose answers, to exercise the connector's tolerance. When on, deterministically: customers come
     * back in lowerCamel names; GetClientByDoc answers an array with one customer; POST clientes and
     * crear answer {"Id":n}; amounts are strings in concepts (Precio, PrecioFinal, Iva, Stock), documents
     * (ImporteTotalBruto/Neto), emitirFE (Total) and price-list items; stock rows come back in lowerCamel.
     */
    public void setLoose(boolean loose) {
        this.loose = loose;
    }

    /** Every call (token included) answers 503. */
    public void setDown(boolean down) {
        this.down = down;
    }

    /** Extra delay before every answer. */
    public void setLatency(Duration latency) {
        this.latency = latency;
    }

    /** How long emitirFE "talks to ARCA" (default 20 ms), so overlapping calls are observable. */
    public void setEmitirLatency(Duration d) {
        emitirLatency = d;
    }

    /**
     * Every emitirFE waits, before ARCA is asked, until {@code release} opens (null: none waits), so a test can
     * act while an invoice is surely half way. Keep it shorter than the client's read timeout.
     */
    public void holdEmitir(java.util.concurrent.CountDownLatch release) {
        emitirHold = release;
    }

    /** emitirFE calls waiting on {@link #holdEmitir} right now. */
    public int emitirHeld() {
        return emitirHeld.get();
    }

    /** How long TIMEOUT-like faults hold a request before answering 500 (default 5 s); set above the client's read timeout. */
    public void setTimeoutHold(Duration d) {
        timeoutHold = d;
    }

    public void setTokenTtl(Duration ttl) {
        tokenTtl = ttl;
    }

    /** "Today" for FechaEmision defaults, ARCA's date checks and emitirFE dates (zone forced to Buenos Aires). */
    public void setClock(Clock clock) {
        this.clock = clock.withZone(ARGENTINA);
    }

    /** ARCA's date rules at emitirFE (±5 days from today, not before the last issued document of the series). Default on. */
    public void setDateChecks(boolean on) {
        dateChecks = on;
    }

    /** From this total a Factura B to a consumidor final needs a document number (RG 5700/2025: 10.000.000). */
    public void setIdentificationThreshold(BigDecimal threshold) {
        identificationThreshold = threshold;
    }

    // ------------------------------------------------------------------ test API: faults

    /** The next {@code times} calls of {@code e} fail with {@code f} (queued after earlier failNext calls). */
    public void failNext(Endpoint e, Fault f, int times) {
        if (!f.appliesTo(e)) {
            throw new IllegalArgumentException(f.kind() + " does not apply to " + e);
        }
        synchronized (nextFaults) {
            Queue<Fault> q = nextFaults.computeIfAbsent(e, x -> new ArrayDeque<>());
            for (int i = 0; i < times; i++) {
                q.add(f);
            }
        }
    }

    /** A {@code share} (0..1) of calls fail with one of {@code kinds} that applies to the endpoint (seeded: repeatable). */
    public synchronized void failRate(double share, Set<Fault> kinds) {
        failShare = share;
        failKinds = List.copyOf(kinds);
    }

    public synchronized void setSeed(long seed) {
        random = new Random(seed);
    }

    public void clearFaults() {
        synchronized (nextFaults) {
            nextFaults.clear();
        }
        failRate(0, Set.of());
    }

    // ------------------------------------------------------------------ test API: observation

    public List<RecordedCall> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public long count(Endpoint e) {
        return calls().stream().filter(c -> c.endpoint() == e).count();
    }

    public long count(String accountEmail, Endpoint e) {
        return calls().stream().filter(c -> c.endpoint() == e && accountEmail.equalsIgnoreCase(c.account())).count();
    }

    /** Every call attributed to the account. */
    public long count(String accountEmail) {
        return calls().stream().filter(c -> accountEmail.equalsIgnoreCase(c.account())).count();
    }

    public int rateLimitHits() {
        return rateLimitHits.get();
    }

    /** emitirFE calls that started while another emitirFE of the same account was in flight. */
    public int concurrentEmitirViolations() {
        return emitirViolations.get();
    }

    /** Every token issued so far stops working (as after expiry): clients must ask again. */
    public void expireTokens() {
        tokens.clear();
    }

    /**
     * Most general-budget requests (arrivals, 429s included) the account sent within any sliding window of
     * the configured period. Per source IP when the scope is IP (key "127.0.0.1").
     */
    public int maxRequestsInAnyWindow(String accountEmail) {
        return limiter.maxInAnyWindow(limitScope == LimitScope.ACCOUNT ? accountEmail.toLowerCase(Locale.ROOT)
                : accountEmail);
    }

    public void resetCalls() {
        calls.clear();
    }

    // ------------------------------------------------------------------ used by SandboxAccount

    void revokeTokens(String email) {
        tokens.values().removeIf(t -> t.email().equalsIgnoreCase(email));
    }

    LocalDate today() {
        return LocalDate.now(clock);
    }

    long nextCustomerId() {
        return customerIds.incrementAndGet();
    }

    long nextConceptId() {
        return conceptIds.incrementAndGet();
    }

    long nextDocumentId() {
        return documentIds.incrementAndGet();
    }

    /** A 14-digit CAE, unique within the sandbox. */
    String nextCae() {
        return "7" + String.format("%013d", 5_141_000_000_000L + caeSeq.incrementAndGet());
    }

    String publicLink(SandboxAccount account, long documentId) {
        String token = UUID.randomUUID().toString();
        publicLinks.put(token, new Object[] {account, documentId});
        return baseUrl + "/publico/comprobantes/" + token;
    }

    // ------------------------------------------------------------------ HTTP plumbing

    private void handle(HttpExchange ex) {
        String body = "";
        String account = null;
        Endpoint endpoint = null;
        Response resp;
        try {
            body = readBody(ex.getRequestBody());
            String path = ex.getRequestURI().getPath();
            endpoint = Endpoint.match(ex.getRequestMethod(), path).orElse(null);
            sleep(latency);
            if (down) {
                resp = error(503, "Service Unavailable");
            } else if (path.startsWith("/publico/comprobantes/")) {
                resp = publicPdf(path.substring("/publico/comprobantes/".length()));
            } else if (endpoint == null) {
                resp = error(404, "No HTTP resource was found that matches the request URI");
            } else if (endpoint == Endpoint.TOKEN) {
                Map<String, String> form = parseForm(body);
                account = form.get("client_id");
                resp = withFaults(endpoint, () -> token(form));
            } else {
                TokenInfo t = authenticate(ex);
                if (t == null) {
                    resp = error(401, "Authorization has been denied for this request.");
                } else {
                    account = t.email();
                    resp = limited(ex, t.email(), endpoint);
                    if (resp == null) {
                        Request req = new Request(ex, endpoint, parseForm(ex.getRequestURI().getRawQuery()), body,
                                account(t.email()));
                        resp = withFaults(endpoint, () -> dispatch(req));
                    }
                }
            }
        } catch (ApiError e) {
            resp = error(e.status, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close();
            return;
        } catch (RuntimeException e) {
            resp = error(500, "Error interno: " + e);
        }
        calls.add(new RecordedCall(Instant.now(), account, endpoint, ex.getRequestMethod(),
                ex.getRequestURI().toString(), resp.status(), ex.getRemoteAddress().getAddress().getHostAddress(),
                body));
        send(ex, resp);
    }

    private TokenInfo authenticate(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        TokenInfo t = tokens.get(h.substring(7).trim());
        if (t == null || !Instant.now().isBefore(t.expiresAt())) {
            return null;
        }
        return t;
    }

    /** The 429 answer when the caller is over its budget or blocked, else null. */
    private Response limited(HttpExchange ex, String email, Endpoint e) {
        String key = limitScope == LimitScope.ACCOUNT ? email.toLowerCase(Locale.ROOT)
                : ex.getRemoteAddress().getAddress().getHostAddress();
        if (limiter.acquire(key, e.inventory(), System.nanoTime()) == SlidingWindowLimiter.Verdict.ADMIT) {
            return null;
        }
        rateLimitHits.incrementAndGet();
        return error(429, "Too Many Requests: se superó el límite de solicitudes; intente nuevamente en "
                + blockSeconds + " segundos");
    }

    private interface Action {
        Response run() throws InterruptedException;
    }

    /** Applies an injected fault, if one is due for this call, around the real action. */
    private Response withFaults(Endpoint e, Action action) throws InterruptedException {
        Fault f = dueFault(e);
        if (f == null) {
            return action.run();
        }
        switch (f.kind()) {
            case HTTP_500, CREAR_FAILS_BEFORE_CREATE -> {
                return error(500, "An error has occurred.");
            }
            case HTTP_503 -> {
                return error(503, "Service Unavailable");
            }
            case TIMEOUT -> {
                sleep(timeoutHold);
                return error(500, "An error has occurred.");
            }
            case LATENCY -> {
                sleep(f.latency());
                return action.run();
            }
            case EMITIR_FAILS_AFTER_CAE, CREAR_FAILS_AFTER_CREATE -> {
                action.run(); // the side effect happens; only the answer is lost
                return error(500, "An error has occurred.");
            }
            case EMITIR_TIMEOUT_AFTER_CAE, CREAR_TIMEOUT_AFTER_CREATE -> {
                action.run();
                sleep(timeoutHold);
                return error(500, "An error has occurred.");
            }
            default -> throw new IllegalStateException(f.kind().toString());
        }
    }

    private Fault dueFault(Endpoint e) {
        synchronized (nextFaults) {
            Queue<Fault> q = nextFaults.get(e);
            if (q != null && !q.isEmpty()) {
                return q.poll();
            }
        }
        synchronized (this) {
            if (failShare <= 0 || random.nextDouble() >= failShare) {
                return null;
            }
            List<Fault> applicable = failKinds.stream().filter(f -> f.appliesTo(e)).toList();
            return applicable.isEmpty() ? null : applicable.get(random.nextInt(applicable.size()));
        }
    }

    private Response dispatch(Request r) throws InterruptedException {
        SandboxAccount a = r.account();
        return switch (r.endpoint()) {
            case TOKEN -> throw new IllegalStateException();
            case OBTENER_INFO -> accountInfo(a);
            case CONDICIONES_VENTA -> json(array(a.condiciones(), c -> obj().put("ID", c.id())
                    .put("Nombre", c.nombre()).put("Activa", c.activo())));
            case PUNTOS_DE_VENTA -> json(array(a.puntos(), p -> obj().put("Id", p.id()).put("Nombre", p.nombre())
                    .put("Punto", p.punto()).put("Activo", p.activo())));
            case DEPOSITOS -> json(array(a.depositos(), d -> obj().put("Id", d.id()).put("Nombre", d.nombre())
                    .put("Activo", d.activo())));
            case LISTAS_SEARCH -> json(array(a.priceLists(), l -> obj().put("Id", l.id).put("Nombre", l.nombre)
                    .put("Activa", true)));
            case LISTA_GET -> priceList(r);
            case PROVINCIAS -> json("10".equals(r.q("idPais")) || r.q("idPais") == null
                    ? Provincias.json() : Json.MAPPER.createArrayNode());
            case MONEDAS -> json(Json.MAPPER.createArrayNode()
                    .add(obj().put("Id", 1).put("Nombre", "Peso argentino").put("Codigo", "PES").put("Simbolo", "$"))
                    .add(obj().put("Id", 2).put("Nombre", "Dólar estadounidense").put("Codigo", "DOL")
                            .put("Simbolo", "US$")));
            case CLIENTE_BY_DOC -> {
                SandboxCustomer c = a.customerByDoc(required(r, "tipoDoc"), required(r, "nroDoc"))
                        .orElseThrow(() -> new ApiError(404, "El cliente no existe"));
                yield json(loose ? Json.MAPPER.createArrayNode().add(customerJson(c)) : customerJson(c));
            }
            case CLIENTE_SEARCH -> page(r, a.searchCustomers(r.q("filtro")), this::customerJson);
            case CLIENTE_GET -> json(customerJson(a.customer(idParam(r))
                    .orElseThrow(() -> new ApiError(404, "El cliente no existe"))));
            case CLIENTE_CREATE -> idAnswer(a.createCustomer(bodyJson(r)).id());
            case CLIENTE_UPDATE -> {
                a.updateCustomer(idParam(r), bodyJson(r));
                yield json(Json.MAPPER.getNodeFactory().booleanNode(true));
            }
            case CONCEPTO_BY_CODIGO -> json(conceptJson(a, a.concept(required(r, "codigo"))
                    .orElseThrow(() -> new ApiError(404, "El concepto no existe"))));
            case CONCEPTO_SEARCH -> page(r, a.searchConcepts(r.q("filtro")), c -> conceptJson(a, c));
            case CREAR -> idAnswer(a.crear(bodyJson(r)).id());
            case EMITIR_FE -> emitir(a, idParam(r));
            case COMPROBANTE_GET -> json(documentJson(a, a.document(idParam(r))
                    .orElseThrow(() -> new ApiError(404, "El comprobante no existe")), true));
            case COMPROBANTE_SEARCH -> searchDocuments(r);
            case COMPROBANTE_DELETE -> {
                a.delete(idParam(r));
                yield json(Json.MAPPER.getNodeFactory().booleanNode(true));
            }
            case OBTENER_PDF -> pdf(a, a.document(idParam(r))
                    .orElseThrow(() -> new ApiError(404, "El comprobante no existe")));
            case STOCK_BY_DEPOSITO -> stockByDeposito(r);
            case STOCK_BY_SKU -> stockBySku(r);
        };
    }

    // ------------------------------------------------------------------ handlers

    private Response token(Map<String, String> form) {
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return json(400, obj().put("error", "unsupported_grant_type"));
        }
        String email = form.get("client_id");
        SandboxAccount a = email == null ? null : accounts.get(email.toLowerCase(Locale.ROOT));
        if (a == null || !a.apiKey().equals(form.get("client_secret"))) {
            return json(400, obj().put("error", "invalid_client"));
        }
        String token = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        tokens.put(token, new TokenInfo(a.email(), Instant.now().plus(tokenTtl)));
        return json(obj().put("access_token", token).put("token_type", "bearer")
                .put("expires_in", tokenTtl.toSeconds()));
    }

    /**
     * emitirFE, strictly one at a time per account: a second call that starts while one is in flight is
     * counted as a violation (and still served, as Contabilium would, to expose the damage).
     */
    private Response emitir(SandboxAccount a, long id) throws InterruptedException {
        java.util.concurrent.CountDownLatch hold = emitirHold;
        if (hold != null) {
            emitirHeld.incrementAndGet();
            try {
                hold.await();
            } finally {
                emitirHeld.decrementAndGet();
            }
        }
        if (a.emitirInFlight.incrementAndGet() > 1) {
            emitirViolations.incrementAndGet();
        }
        SandboxAccount.EmitResult result;
        try {
            sleep(emitirLatency);
            result = a.emitir(id, Map.of("threshold", identificationThreshold, "dateChecks", dateChecks));
        } finally {
            a.emitirInFlight.decrementAndGet();
        }
        SandboxDocument d = result.document();
        boolean ok = result.error() == null;
        ObjectNode o = obj().put("ID", d.id()).put("CAE", ok ? d.cae() : "").put("Numero", ok ? d.numero() : "")
                .put("FechaVencimientoCAE", ok ? d.fechaVencimientoCae() : "")
                .put("LinkPublico", ok ? d.linkPublico() : "").put("Error", ok ? "" : result.error())
                .put("Total", d.importeTotalNeto());
        if (loose) {
            Json.amountsAsStrings(o, "Total");
        }
        return json(o);
    }

    /**
     * obtenerinfo; an account that has not set its IVA condition answers without {@code CondicionIVA}. Beyond
     * the contract's fields it answers the seller's {@code IdProvincia}, as Contabilium's account data holds it.
     */
    private Response accountInfo(SandboxAccount a) {
        ObjectNode o = obj().put("RazonSocial", a.razonSocial()).put("CUIT", a.cuit());
        if (a.condicionIva() != null) {
            o.put("CondicionIVA", a.condicionIva());
        }
        if (a.idProvincia() != null) {
            o.put("IdProvincia", a.idProvincia());
        }
        return json(o.put("TieneFE", true).put("Email", a.email()));
    }

    private Response searchDocuments(Request r) {
        LocalDate desde = date(r, "fechaDesde");
        LocalDate hasta = date(r, "fechaHasta");
        if (hasta.isBefore(desde)) {
            throw new ApiError(400, "La fecha hasta debe ser posterior a la fecha desde");
        }
        if (ChronoUnit.DAYS.between(desde, hasta) > 92) {
            throw new ApiError(400, "El rango de fechas no puede superar los 92 días");
        }
        SandboxAccount a = r.account();
        List<SandboxDocument> found = a.searchDocuments(r.q("filtro"), desde, hasta);
        // Contabilium's search is reported to stop at 20 pages (1,000 documents): later pages come back empty.
        if (intParam(r, "page", 1) > SEARCH_MAX_PAGES) {
            return json(pageEnvelope(r, List.of(), d -> obj()).put("TotalItems", found.size())
                    .put("TotalPage", (found.size() + 49) / 50));
        }
        return page(r, found, d -> documentJson(a, d, false));
    }

    private Response priceList(Request r) {
        SandboxAccount a = r.account();
        SandboxAccount.PriceList list = a.priceList(idParam(r))
                .orElseThrow(() -> new ApiError(404, "La lista de precios no existe"));
        List<Map.Entry<String, SandboxAccount.ListPrice>> entries;
        synchronized (a) {
            entries = List.copyOf(list.prices.entrySet());
        }
        ObjectNode env = pageEnvelope(r, entries, e -> {
            BigDecimal iva = e.getValue().iva();
            BigDecimal precio = e.getValue().precioFinal().divide(BigDecimal.ONE.add(iva.movePointLeft(2)), 2,
                    java.math.RoundingMode.HALF_UP);
            ObjectNode o = obj().put("Codigo", e.getKey())
                    .put("Nombre", a.concept(e.getKey()).map(SandboxAccount.Concept::nombre).orElse(e.getKey()))
                    .put("Precio", precio).put("PrecioFinal", e.getValue().precioFinal()).put("Iva", Json.plain(iva));
            if (loose) {
                Json.amountsAsStrings(o, "Precio", "PrecioFinal", "Iva");
            }
            return o;
        });
        ObjectNode out = obj().put("Id", list.id).put("Nombre", list.nombre);
        out.setAll(env);
        return json(out);
    }

    private Response stockByDeposito(Request r) {
        List<Object[]> rows = r.account().stockRows(idParam(r));
        return page(r, rows, row -> {
            SandboxAccount.Concept c = (SandboxAccount.Concept) row[0];
            SandboxAccount.Stock s = (SandboxAccount.Stock) row[1];
            ObjectNode o = obj().put("IdConcepto", c.id()).put("Codigo", c.codigo()).put("Nombre", c.nombre());
            stockFields(o, s);
            return loose ? (ObjectNode) Json.lowerCamel(o) : o;
        });
    }

    private Response stockBySku(Request r) {
        SandboxAccount a = r.account();
        String codigo = required(r, "codigo");
        Map<SandboxAccount.Named, SandboxAccount.Stock> per = a.stockBySku(codigo);
        SandboxAccount.Concept c = a.concept(codigo).orElseThrow();
        SandboxAccount.Stock total = new SandboxAccount.Stock();
        ArrayNode arr = Json.MAPPER.createArrayNode();
        per.forEach((d, s) -> {
            total.actual = total.actual.add(s.actual);
            total.reservado = total.reservado.add(s.reservado);
            arr.add(stockFields(obj().put("Id", d.id()).put("Codigo", d.nombre()), s));
        });
        ObjectNode o = stockFields(obj().put("Id", c.id()).put("Codigo", c.codigo()), total);
        o.set("stock", arr);
        return json(o);
    }

    private static ObjectNode stockFields(ObjectNode o, SandboxAccount.Stock s) {
        return o.put("StockActual", Json.plain(s.actual)).put("StockReservado", Json.plain(s.reservado))
                .put("StockConReservas", Json.plain(s.conReservas()));
    }

    /** obtenerPdf: a real one-page PDF with the letter, number, CAE and total ("BORRADOR" for drafts). */
    private Response pdf(SandboxAccount a, SandboxDocument d) {
        String kind = d.creditNote() ? "NOTA DE CREDITO " : "FACTURA ";
        List<String> lines = List.of(a.razonSocial() + " - CUIT " + a.cuit(),
                kind + d.letter() + (d.issued() ? " N° " + d.numero() : " (BORRADOR)"),
                "Fecha: " + d.fechaEmision().substring(0, 10),
                "Cliente: " + d.razonSocial(),
                "Subtotal: $ " + d.importeTotalBruto().toPlainString(),
                "Total: $ " + d.importeTotalNeto().toPlainString(),
                "CAE: " + (d.issued() ? d.cae() + " Vto. " + d.fechaVencimientoCae().substring(0, 10) : "-"));
        return new Response(200, "application/pdf", MinimalPdf.page(lines));
    }

    private Response publicPdf(String token) {
        Object[] link = publicLinks.get(token);
        if (link == null) {
            return error(404, "No encontrado");
        }
        SandboxAccount a = (SandboxAccount) link[0];
        return pdf(a, a.document((Long) link[1]).orElseThrow(() -> new ApiError(404, "El comprobante no existe")));
    }

    // ------------------------------------------------------------------ JSON shapes

    private JsonNode customerJson(SandboxCustomer c) {
        ObjectNode o = obj().put("Id", c.id()).put("RazonSocial", c.razonSocial()).put("CondicionIva", c.condicionIva())
                .put("TipoDoc", c.tipoDoc()).put("NroDoc", c.nroDoc()).put("Email", c.email())
                .put("Telefono", c.telefono()).put("Domicilio", c.domicilio()).put("Cp", c.cp())
                .put("IdPais", c.idPais()).put("IdProvincia", c.idProvincia()).put("Ciudad", c.ciudad());
        return loose ? Json.lowerCamel(o) : o;
    }

    private ObjectNode conceptJson(SandboxAccount a, SandboxAccount.Concept c) {
        ObjectNode o = obj().put("Id", c.id()).put("Codigo", c.codigo()).put("Nombre", c.nombre())
                .put("Precio", c.precio()).put("PrecioFinal", c.precioFinal())
                .put("Stock", a.totalStock(c.codigo())).put("Estado", c.estado()).put("Tipo", c.tipo());
        // Contabilium names the IVA of a concept that has no rate: "Exento" or "No gravado".
        if (c.exencion() != null) {
            o.put("Iva", c.exencion());
        } else {
            o.put("Iva", Json.plain(c.iva()));
        }
        if (loose) {
            Json.amountsAsStrings(o, "Precio", "PrecioFinal", "Iva", "Stock");
        }
        return o;
    }

    private ObjectNode documentJson(SandboxAccount a, SandboxDocument d, boolean withItems) {
        ObjectNode o = obj().put("Id", d.id()).put("IdCliente", d.idCliente()).put("RazonSocial", d.razonSocial())
                .put("TipoFc", d.tipoFc()).put("Modo", d.modo()).put("PuntoVenta", d.puntoVenta())
                .put("Numero", d.numero()).put("Cae", d.cae()).put("FechaVencimientoCAE", d.fechaVencimientoCae())
                .put("FechaEmision", d.fechaEmision()).put("CondicionVenta", d.condicionVenta())
                .put("Observaciones", d.observaciones()).put("RefExterna", d.refExterna())
                .put("IdComprobanteAsociado", d.idComprobanteAsociado()).put("Inventario", d.inventario())
                .put("ImporteTotalBruto", d.importeTotalBruto()).put("ImporteTotalNeto", d.importeTotalNeto());
        if (withItems) {
            o.set("Items", array(d.items(), l -> {
                ObjectNode item = obj().put("IdConcepto", l.idConcepto()).put("Codigo", l.codigo())
                        .put("Concepto", l.concepto()).put("Cantidad", Json.plain(l.cantidad()))
                        .put("PrecioUnitario", l.precioUnitario()).put("Bonificacion", l.bonificacion());
                return l.exencion() != null ? item.put("Iva", l.exencion()) : item.put("Iva", Json.plain(l.iva()));
            }));
        }
        if (loose) {
            Json.amountsAsStrings(o, "ImporteTotalBruto", "ImporteTotalNeto");
        }
        return o;
    }

    private Response idAnswer(long id) {
        return json(loose ? obj().put("Id", id) : Json.MAPPER.getNodeFactory().numberNode(id));
    }

    // ------------------------------------------------------------------ pagination

    private <T> Response page(Request r, List<T> all, Function<T, JsonNode> render) {
        return json(pageEnvelope(r, all, render));
    }

    /** {"Items","TotalItems","TotalPage"}: page is 1-based, pageSize 1..50 (default and maximum 50). */
    private <T> ObjectNode pageEnvelope(Request r, List<T> all, Function<T, ? extends JsonNode> render) {
        int page = Math.max(1, intParam(r, "page", 1));
        int size = intParam(r, "pageSize", 50);
        size = size < 1 || size > 50 ? 50 : size;
        int from = Math.min(all.size(), (page - 1) * size);
        int to = Math.min(all.size(), from + size);
        ArrayNode items = Json.MAPPER.createArrayNode();
        all.subList(from, to).forEach(x -> items.add(render.apply(x)));
        ObjectNode env = obj();
        env.set("Items", items);
        return env.put("TotalItems", all.size()).put("TotalPage", (all.size() + size - 1) / size);
    }

    // ------------------------------------------------------------------ small helpers

    private static ObjectNode obj() {
        return Json.MAPPER.createObjectNode();
    }

    private static <T> ArrayNode array(List<T> items, Function<T, ? extends JsonNode> render) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        items.forEach(i -> arr.add(render.apply(i)));
        return arr;
    }

    private static Response json(JsonNode node) {
        return json(200, node);
    }

    private static Response json(int status, JsonNode node) {
        try {
            return new Response(status, "application/json; charset=utf-8", Json.MAPPER.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response error(int status, String message) {
        return json(status, obj().put("Message", message));
    }

    private static JsonNode bodyJson(Request r) {
        try {
            JsonNode n = Json.MAPPER.readTree(r.body());
            if (n == null || !n.isObject()) {
                throw new ApiError(400, "El cuerpo de la solicitud no es válido");
            }
            return n;
        } catch (IOException e) {
            throw new ApiError(400, "El cuerpo de la solicitud no es JSON válido");
        }
    }

    private static String required(Request r, String name) {
        String v = r.q(name);
        if (v == null || v.isBlank()) {
            throw new ApiError(400, "El parámetro " + name + " es obligatorio");
        }
        return v.trim();
    }

    private static long idParam(Request r) {
        try {
            return Long.parseLong(required(r, "id"));
        } catch (NumberFormatException e) {
            throw new ApiError(400, "El parámetro id no es válido");
        }
    }

    private static int intParam(Request r, String name, int dflt) {
        String v = r.q(name);
        try {
            return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ApiError(400, "El parámetro " + name + " no es válido");
        }
    }

    private static LocalDate date(Request r, String name) {
        String v = required(r, name);
        try {
            return LocalDate.parse(v.length() > 10 ? v.substring(0, 10) : v);
        } catch (DateTimeParseException e) {
            throw new ApiError(400, "El parámetro " + name + " debe tener el formato yyyy-MM-dd");
        }
    }

    /** Query strings and form bodies; names are lower-cased because ASP.NET binds them case-insensitively. */
    private static Map<String, String> parseForm(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k.toLowerCase(Locale.ROOT), v);
        }
        return out;
    }

    private static String readBody(InputStream in) throws UncheckedIOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (d != null && !d.isZero() && !d.isNegative()) {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        }
    }

    private void send(HttpExchange ex, Response r) {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", r.contentType());
            if (r.status() == 429) {
                ex.getResponseHeaders().set("Retry-After", String.valueOf(blockSeconds));
            }
            ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
            ex.getResponseBody().write(r.body());
        } catch (IOException e) {
            // the client went away (e.g. it timed out during a TIMEOUT fault): nothing to tell it
        }
    }
}
