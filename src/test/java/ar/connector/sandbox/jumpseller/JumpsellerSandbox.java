package ar.connector.sandbox.jumpseller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In-process, stateful Jumpseller REST API v1 sandbox on the JDK's HttpServer: answers under
 * {@code /v1} every call the connector makes, in the shapes of the project's openapi.json, with the
 * live API's known looseness (see contracts/jumpseller/README.md), per-store rate limits and ban,
 * and signed webhook deliveries. Starts in milliseconds; no Spring.
 */
public final class JumpsellerSandbox implements AutoCloseable {
    private static final String BASE = "/v1";

    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper mapper = new ObjectMapper();
    private final WebhookDispatcher webhooks = new WebhookDispatcher(mapper);
    private final Map<String, SandboxStore> stores = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<Route> routes = new ArrayList<>();

    private volatile int perSecond = 20;
    private volatile int perMinute = 800;
    private volatile int hitsBeforeBan = 2000;
    private volatile Duration banLength = Duration.ofMinutes(10);

    /** A parsed request as routes see it. */
    record Call(SandboxStore store, Matcher path, Map<String, List<String>> query, JsonNode body) {
        String param(String name) {
            List<String> v = query.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        long id(int group) {
            return Long.parseLong(path.group(group));
        }

        Page page() {
            return Page.of(param("page"), param("limit"));
        }
    }

    private record Route(String method, Pattern path, java.util.function.Function<Call, Answer> handler) {
    }

    private JumpsellerSandbox(int port) {
        server = ar.connector.sandbox.SandboxServer.create(port, 64);
        executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "jumpseller-sandbox-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        defineRoutes();
        server.start();
    }

    public static JumpsellerSandbox start() {
        return new JumpsellerSandbox(0);
    }

    public static JumpsellerSandbox start(int port) {
        return new JumpsellerSandbox(port);
    }

    /** {@code http://127.0.0.1:<port>/v1} */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port() + BASE);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public SandboxStore addStore(String code, String name, String login, String authToken, String hooksToken) {
        SandboxStore s = new SandboxStore(this, code, name, login, authToken, hooksToken);
        if (stores.putIfAbsent(code, s) != null) {
            throw new IllegalArgumentException("store " + code + " exists");
        }
        return s;
    }

    public SandboxStore store(String code) {
        SandboxStore s = stores.get(code);
        if (s == null) {
            throw new NoSuchElementException("no store " + code);
        }
        return s;
    }

    /** Per-store limits for every store (live: 20/s, 800/min); 0 = unlimited. Takes effect at once. */
    public void setRateLimits(int perSecond, int perMinute) {
        this.perSecond = perSecond;
        this.perMinute = perMinute;
    }

    /** After {@code hitsBeforeBan} 429s (live: 2000) a store is banned for {@code banLength}; 0 = never. */
    public void setBan(int hitsBeforeBan, Duration banLength) {
        this.hitsBeforeBan = hitsBeforeBan;
        this.banLength = banLength;
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    /**
     * Sends one arbitrary webhook POST right now (for tampered bodies, bad signatures, replays).
     *
     * @param signatureOrNull the {@code Jumpseller-Hmac-Sha256} value, or null to leave it out
     * @return the receiver's HTTP status, or -1 if the call failed
     */
    public int deliver(String hookUrl, String event, String storeCode, byte[] body, String signatureOrNull) {
        WebhookDispatcher.Result r = webhooks.send(hookUrl, event, storeCode, body, signatureOrNull);
        SandboxStore s = stores.get(storeCode);
        if (s != null) {
            s.deliveries.add(new Delivery(Instant.now(), 0, hookUrl, event, storeCode, body, signatureOrNull,
                    1, r.status(), r.error()));
        }
        return r.status();
    }

    WebhookDispatcher webhooks() {
        return webhooks;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        webhooks.close();
    }

    // ------------------------------------------------------------------ routing

    private void route(String method, String regex, java.util.function.Function<Call, Answer> handler) {
        routes.add(new Route(method, Pattern.compile(regex), handler));
    }

    private void defineRoutes() {
        route("GET", "/store/info\\.json", c -> c.store().storeInfo());
        route("GET", "/orders\\.json", c -> c.store().ordersList(c.page()));
        route("GET", "/orders/search\\.json", c -> c.store().searchOrders(
                c.query().getOrDefault("status_filters[]", List.of()), c.param("dateFilter"),
                c.param("initialDate"), c.param("finalDate"), c.page()));
        route("GET", "/orders/after/(\\d+)\\.json", c -> c.store().ordersAfter(c.id(1), c.page()));
        route("GET", "/orders/status/([a-z_]+)\\.json", c -> c.store().ordersByStatus(c.path().group(1), c.page()));
        route("GET", "/orders/(\\d+)\\.json", c -> c.store().getOrder(c.id(1)));
        route("GET", "/orders/(\\d+)/documents\\.json", c -> c.store().listDocuments(c.id(1)));
        route("POST", "/orders/(\\d+)/documents\\.json", c -> c.store().addDocument(c.id(1), c.body()));
        route("GET", "/products\\.json", c -> c.store().listProducts(c.page()));
        route("GET", "/products/(\\d+)\\.json", c -> c.store().getProduct(c.id(1)));
        route("PUT", "/products/(\\d+)\\.json", c -> c.store().updateProduct(c.id(1), c.body()));
        route("GET", "/products/(\\d+)/variants\\.json", c -> c.store().listVariants(c.id(1)));
        route("PUT", "/products/(\\d+)/variants/(\\d+)\\.json",
                c -> c.store().updateVariant(c.id(1), c.id(2), c.body()));
        route("GET", "/hooks\\.json", c -> c.store().listHooks(c.page()));
        route("POST", "/hooks\\.json", c -> c.store().createHook(c.body()));
        route("DELETE", "/hooks/(\\d+)\\.json", c -> c.store().deleteHook(c.id(1)));
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        String rawQuery = ex.getRequestURI().getRawQuery();
        String requestBody = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> query = parseQuery(rawQuery);
        Map<String, List<String>> responseHeaders = new LinkedHashMap<>();
        SandboxStore store = null;
        Answer answer;
        try {
            store = authenticate(ex.getRequestHeaders().getFirst("Authorization"), query);
            if (store == null) {
                answer = Answer.error(401, "Unauthorized: wrong login or authtoken");
            } else {
                answer = admitted(store, responseHeaders);
                if (answer == null) {
                    answer = dispatch(method, path, query, requestBody, store);
                }
            }
        } catch (RuntimeException e) {
            answer = Answer.error(500, "Sandbox error: " + e);
        }
        String responseBody = mapper.writeValueAsString(answer.body());
        responseHeaders.put("content-type", List.of("application/json; charset=utf-8"));
        responseHeaders.forEach((k, v) -> ex.getResponseHeaders().put(k, v));
        byte[] bytes = responseBody.getBytes(StandardCharsets.UTF_8);
        requests.add(new RecordedRequest(Instant.now(), store == null ? null : store.code(), method, path, rawQuery,
                lowerCase(ex.getRequestHeaders()), requestBody, answer.status(), lowerCase(responseHeaders),
                responseBody));
        ex.sendResponseHeaders(answer.status(), bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    /** Applies the rate limit; null when the request may proceed, else the 429 answer. */
    private Answer admitted(SandboxStore store, Map<String, List<String>> headers) {
        RateCounter.Decision d = store.rate.admit(System.currentTimeMillis(), perSecond, perMinute,
                hitsBeforeBan, banLength.toMillis());
        // An unlimited dimension (0) has no headers: there is no meaningful "remaining".
        if (d.perMinuteLimit() > 0) {
            headers.put("Jumpseller-PerMinuteRateLimit-Limit", List.of(Integer.toString(d.perMinuteLimit())));
            headers.put("Jumpseller-PerMinuteRateLimit-Remaining", List.of(Integer.toString(d.perMinuteRemaining())));
        }
        if (d.perSecondLimit() > 0) {
            headers.put("Jumpseller-PerSecondRateLimit-Limit", List.of(Integer.toString(d.perSecondLimit())));
            headers.put("Jumpseller-PerSecondRateLimit-Remaining", List.of(Integer.toString(d.perSecondRemaining())));
        }
        return switch (d.verdict()) {
            case OK -> null;
            case LIMITED -> Answer.error(429, "Too Many Requests: rate limit exceeded");
            case BANNED -> {
                headers.put("Jumpseller-BannedByRateLimit-Reset",
                        List.of(DateTimeFormatter.ISO_INSTANT.format(d.bannedUntil())));
                yield Answer.error(429, "Too Many Requests: banned by rate limit until "
                        + DateTimeFormatter.ISO_INSTANT.format(d.bannedUntil()));
            }
        };
    }

    private Answer dispatch(String method, String path, Map<String, List<String>> query, String body,
                            SandboxStore store) {
        if (!path.startsWith(BASE + "/")) {
            return Answer.notFound("Path");
        }
        String apiPath = path.substring(BASE.length());
        boolean pathKnown = false;
        for (Route r : routes) {
            Matcher m = r.path().matcher(apiPath);
            if (m.matches()) {
                pathKnown = true;
                if (r.method().equals(method)) {
                    JsonNode json;
                    try {
                        json = body.isBlank() ? null : mapper.readTree(body);
                    } catch (IOException e) {
                        return Answer.error(400, "Malformed JSON: " + e.getMessage());
                    }
                    return r.handler().apply(new Call(store, m, query, json));
                }
            }
        }
        return pathKnown ? Answer.error(405, "Method not allowed") : Answer.notFound("Path " + apiPath);
    }

    /** HTTP Basic {@code login:authtoken}, or the deprecated {@code ?login=&authtoken=} pair. */
    private SandboxStore authenticate(String authorization, Map<String, List<String>> query) {
        String login = null;
        String token = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    login = decoded.substring(0, colon);
                    token = decoded.substring(colon + 1);
                }
            } catch (IllegalArgumentException ignored) {
                // not base64: falls through to 401
            }
        } else if (query.containsKey("login") && query.containsKey("authtoken")) {
            login = query.get("login").get(0);
            token = query.get("authtoken").get(0);
        }
        if (login == null) {
            return null;
        }
        for (SandboxStore s : stores.values()) {
            if (s.login.equals(login) && s.authToken.equals(token)) {
                return s;
            }
        }
        return null;
    }

    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return q;
    }

    private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        headers.forEach((k, v) -> m.put(k.toLowerCase(), List.copyOf(v)));
        return m;
    }
}
