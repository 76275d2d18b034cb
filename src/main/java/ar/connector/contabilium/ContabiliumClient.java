package ar.connector.contabilium;

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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import ar.connector.api.ApiBudgets;
import ar.connector.api.ApiCallException;
import ar.connector.api.ApiMetrics;
import ar.connector.api.ApiTransport;
import ar.connector.api.RateLimiter;
import ar.connector.config.ConnectorProperties;

/**
 * Contabilium's REST API as contracts/contabilium/README.md fixes it: a cached bearer token per
 * account (one refresh on 401), paced below 25 calls per 10 s with a separate inventory budget, a
 * 60 s hold after a 429, and lenient reading. {@code crear} and {@code emitirFE} are never retried
 * on an uncertain outcome: the invoicing flow finds out what happened instead.
 */
@Component
public class ContabiliumClient {

    private static final Logger log = LoggerFactory.getLogger(ContabiliumClient.class);
    static final String API = "contabilium";
    public static final int PAGE_SIZE = 50;
    /** Contabilium's comprobantes/search answers this many pages of a window, then empty ones. */
    public static final int SEARCH_MAX_PAGES = 20;
    private static final Duration TOKEN_MARGIN = Duration.ofMinutes(5);

    private final URI baseUrl;
    private final ConnectorProperties.ContabiliumRateLimit limits;
    private final ApiBudgets budgetStore;
    private final Duration readTimeout;
    private final ApiTransport transport;
    private final ObjectMapper json = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .build();
    private final Map<String, Budget> budgets = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    private record Budget(RateLimiter general, RateLimiter inventory) {
    }

    private record Token(String secretHash, String value, Instant refreshAfter) {
    }

    public ContabiliumClient(ConnectorProperties properties, ApiMetrics metrics, ApiBudgets budgetStore) {
        ConnectorProperties.Contabilium config = properties.contabilium();
        this.baseUrl = URI.create(config.apiUrl().toString().replaceAll("/+$", ""));
        this.limits = config.rateLimit();
        this.budgetStore = budgetStore;
        this.readTimeout = config.readTimeout();
        HttpClient http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
        this.transport = new ApiTransport(API, http, metrics, new Policy(limits.block()),
                properties.api().retryAttempts(), properties.api().retryBackoff());
    }

    // ---- account reference data ----------------------------------------------------------------

    /** Checks the credentials by asking for a token (a wrong e-mail or key is UNAUTHORIZED). */
    public void verifyCredentials(ContabiliumAccount account) {
        tokens.remove(account.clientId());
        token(account);
    }

    public CbModel.AccountInfo accountInfo(ContabiliumAccount account) {
        return get(account, "usuarios/obtenerinfo", "/api/usuarios/obtenerinfo", CbModel.AccountInfo.class);
    }

    public List<CbModel.CondicionVenta> condicionesVenta(ContabiliumAccount account) {
        return getList(account, "usuarios/condicionesVenta", "/api/usuarios/condicionesVenta", CbModel.CondicionVenta.class);
    }

    public List<CbModel.PuntoDeVenta> puntosDeVenta(ContabiliumAccount account) {
        return getList(account, "puntosdeventa/search", "/api/puntosdeventa/search", CbModel.PuntoDeVenta.class);
    }

    public List<CbModel.Deposito> depositos(ContabiliumAccount account) {
        return getList(account, "inventarios/getDepositos", "/api/inventarios/getDepositos", CbModel.Deposito.class);
    }

    public List<CbModel.ListaDePrecios> listasDePrecios(ContabiliumAccount account) {
        return getList(account, "listasDePrecio/search", "/api/listasDePrecio/search", CbModel.ListaDePrecios.class);
    }

    public List<CbModel.Provincia> provincias(ContabiliumAccount account) {
        return getList(account, "common/provincias", "/api/common/provincias?idPais=10", CbModel.Provincia.class);
    }

    // ---- customers -----------------------------------------------------------------------------

    public Optional<CbModel.Cliente> clienteByDoc(ContabiliumAccount account, String tipoDoc, String nroDoc) {
        try {
            JsonNode node = call(account, "clientes/GetClientByDoc", "GET",
                    "/api/clientes/GetClientByDoc?tipoDoc=" + enc(tipoDoc) + "&nroDoc=" + enc(nroDoc), null, true);
            // Tolerated: an array with one customer.
            JsonNode customer = node.isArray() ? node.path(0) : node;
            return customer.isObject() ? Optional.of(convert(customer, CbModel.Cliente.class)) : Optional.empty();
        } catch (ApiCallException e) {
            if (e.is(ApiCallException.Kind.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public CbModel.Page<CbModel.Cliente> searchClientes(ContabiliumAccount account, String filtro, int page) {
        return page(account, "clientes/search", "/api/clientes/search?filtro=" + enc(filtro) + "&page=" + page
                + "&pageSize=" + PAGE_SIZE, CbModel.Cliente.class);
    }

    /**
     * Registers a customer and answers its id. A customer with the same document already existing
     * comes back as {@link DuplicateCustomerException}: look it up and reuse it.
     */
    public long createCliente(ContabiliumAccount account, CbModel.Cliente cliente) {
        try {
            return readId(call(account, "clientes", "POST", "/api/clientes", cliente, false));
        } catch (ApiCallException e) {
            if (e.getMessage() != null && e.getMessage().toLowerCase().contains("ya se encuentra registrado")) {
                throw new DuplicateCustomerException(e);
            }
            throw e;
        }
    }

    /** Overwrites a customer's data (absolute values: safe to repeat). */
    public void updateCliente(ContabiliumAccount account, long id, CbModel.Cliente cliente) {
        call(account, "clientes", "PUT", "/api/clientes?id=" + id, cliente, true);
    }

    // ---- products ------------------------------------------------------------------------------

    public Optional<CbModel.Concepto> concepto(ContabiliumAccount account, String codigo) {
        try {
            return Optional.of(get(account, "conceptos/getByCodigo",
                    "/api/conceptos/getByCodigo?codigo=" + enc(codigo), CbModel.Concepto.class));
        } catch (ApiCallException e) {
            if (e.is(ApiCallException.Kind.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public void forEachConcepto(ContabiliumAccount account, Consumer<CbModel.Concepto> consumer) {
        forEachPage(page -> conceptos(account, page), consumer);
    }

    /** One page (1-based, {@value #PAGE_SIZE} concepts) of the account's whole catalogue. */
    public CbModel.Page<CbModel.Concepto> conceptos(ContabiliumAccount account, int page) {
        return page(account, "conceptos/search",
                "/api/conceptos/search?filtro=&page=" + page + "&pageSize=" + PAGE_SIZE, CbModel.Concepto.class);
    }

    // ---- documents -----------------------------------------------------------------------------

    /** Creates a draft and answers its id. Never retried: an uncertain outcome must be looked up. */
    public long crear(ContabiliumAccount account, CbModel.ComprobanteRequest request) {
        return readId(call(account, "comprobantes/crear", "POST", "/api/comprobantes/crear", request, false));
    }

    /** Asks ARCA for the CAE. A GET with a fiscal side effect: never retried. */
    public CbModel.Emision emitirFE(ContabiliumAccount account, long comprobanteId) {
        return convert(call(account, "comprobantes/emitirFE", "GET",
                "/api/comprobantes/emitirFE?id=" + comprobanteId, null, false), CbModel.Emision.class);
    }

    public Optional<CbModel.Comprobante> comprobante(ContabiliumAccount account, long id) {
        try {
            return Optional.of(get(account, "comprobantes", "/api/comprobantes?id=" + id, CbModel.Comprobante.class));
        } catch (ApiCallException e) {
            if (e.is(ApiCallException.Kind.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Documents dated within the window (at most 92 days), drafts included; match RefExterna yourself. */
    public void forEachComprobante(ContabiliumAccount account, LocalDate from, LocalDate to,
            Consumer<CbModel.Comprobante> consumer) {
        forEachComprobantePage(account, from, to, total -> {
        }, page -> {
            page.forEach(consumer);
            return true;
        });
    }

    /**
     * Every document dated within the window, a page at a time, for as long as {@code pages} answers
     * true. Contabilium's search answers at most {@value #SEARCH_MAX_PAGES} pages ({@link #PAGE_SIZE}
     * documents each) and then empty ones, so a window its first page counts more documents in is read
     * in halves, down to single days; a single day holding more is read as far as the search goes (and
     * logged). {@code total} hears the whole window's count once, before its first page.
     */
    public void forEachComprobantePage(ContabiliumAccount account, LocalDate from, LocalDate to, LongConsumer total,
            Predicate<List<CbModel.Comprobante>> pages) {
        readWindow(account, from, to, total, pages);
    }

    private boolean readWindow(ContabiliumAccount account, LocalDate from, LocalDate to, LongConsumer total,
            Predicate<List<CbModel.Comprobante>> pages) {
        CbModel.Page<CbModel.Comprobante> current = comprobantes(account, from, to, 1);
        total.accept(current.totalItems());
        if (current.totalItems() > (long) SEARCH_MAX_PAGES * PAGE_SIZE) {
            if (from.isBefore(to)) {
                LocalDate middle = from.plusDays(ChronoUnit.DAYS.between(from, to) / 2);
                return readWindow(account, from, middle, count -> {
                }, pages) && readWindow(account, middle.plusDays(1), to, count -> {
                }, pages);
            }
            log.warn("Contabilium holds {} documents dated {}: its search answers only the first {}", current.totalItems(),
                    from, SEARCH_MAX_PAGES * PAGE_SIZE);
        }
        for (int page = 1; ; ) {
            if (!pages.test(current.items())) {
                return false;
            }
            // Stop on a short page; TotalPage alone is not trusted.
            if (current.items().size() < PAGE_SIZE || page == SEARCH_MAX_PAGES) {
                return true;
            }
            current = comprobantes(account, from, to, ++page);
        }
    }

    /**
     * One page (1-based, {@link #PAGE_SIZE} documents) of the documents dated within the window, with
     * the total count, for a reader that reports its progress; a page shorter than PAGE_SIZE is the last.
     */
    public CbModel.Page<CbModel.Comprobante> comprobantes(ContabiliumAccount account, LocalDate from, LocalDate to,
            int page) {
        return page(account, "comprobantes/search", "/api/comprobantes/search?filtro=&fechaDesde=" + from
                + "&fechaHasta=" + to + "&page=" + page, CbModel.Comprobante.class);
    }

    /** Removes a draft (a document without CAE). */
    public void deleteComprobante(ContabiliumAccount account, long id) {
        try {
            call(account, "comprobantes", "DELETE", "/api/comprobantes?id=" + id, null, true);
        } catch (ApiCallException e) {
            if (!e.is(ApiCallException.Kind.NOT_FOUND)) {
                throw e;
            }
        }
    }

    /**
     * A document's PDF. With {@code maxWait} (for a caller that must answer soon) it waits at most that
     * long for the account's budget and is not retried: {@link ApiTransport.BudgetExhausted} instead.
     */
    public byte[] obtenerPdf(ContabiliumAccount account, long id, Duration maxWait) {
        return raw(account, "comprobantes/obtenerPdf", "GET", "/api/comprobantes/obtenerPdf?id=" + id, null, true,
                maxWait).body();
    }

    /** The Contabilium budget's period: a slot frees within it. */
    public Duration budgetPeriod() {
        return limits.period();
    }

    // ---- stock and prices ----------------------------------------------------------------------

    public void forEachStockRow(ContabiliumAccount account, long depositoId, Consumer<CbModel.StockRow> consumer) {
        forEachPage(page -> page(account, "inventarios/getStockByDeposito", "/api/inventarios/getStockByDeposito?id="
                + depositoId + "&page=" + page + "&pageSize=" + PAGE_SIZE, CbModel.StockRow.class), consumer);
    }

    public Optional<CbModel.StockBySku> stockBySku(ContabiliumAccount account, String codigo) {
        try {
            return Optional.of(get(account, "inventarios/getStockBySKU",
                    "/api/inventarios/getStockBySKU?codigo=" + enc(codigo), CbModel.StockBySku.class));
        } catch (ApiCallException e) {
            if (e.is(ApiCallException.Kind.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public void forEachPriceListItem(ContabiliumAccount account, long listId, Consumer<CbModel.PriceListItem> consumer) {
        forEachPage(page -> page(account, "listasDePrecio/getById", "/api/listasDePrecio/getById?id=" + listId
                + "&page=" + page + "&pageSize=" + PAGE_SIZE, CbModel.PriceListItem.class), consumer);
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private <T> void forEachPage(java.util.function.IntFunction<CbModel.Page<T>> fetch, Consumer<T> consumer) {
        for (int page = 1; ; page++) {
            CbModel.Page<T> result = fetch.apply(page);
            result.items().forEach(consumer);
            // Stop on a short page; TotalPage alone is not trusted.
            if (result.items().size() < PAGE_SIZE) {
                return;
            }
        }
    }

    private <T> CbModel.Page<T> page(ContabiliumAccount account, String endpoint, String pathAndQuery, Class<T> type) {
        JsonNode node = call(account, endpoint, "GET", pathAndQuery, null, true);
        JsonNode items = field(node, "Items");
        List<T> list = new ArrayList<>();
        if (items != null && items.isArray()) {
            items.forEach(item -> list.add(convert(item, type)));
        }
        JsonNode total = field(node, "TotalItems");
        JsonNode pages = field(node, "TotalPage");
        return new CbModel.Page<>(list, total == null ? list.size() : total.asLong(),
                pages == null ? 1 : pages.asLong());
    }

    private <T> T get(ContabiliumAccount account, String endpoint, String pathAndQuery, Class<T> type) {
        return convert(call(account, endpoint, "GET", pathAndQuery, null, true), type);
    }

    private <T> List<T> getList(ContabiliumAccount account, String endpoint, String pathAndQuery, Class<T> type) {
        JsonNode node = call(account, endpoint, "GET", pathAndQuery, null, true);
        JsonNode items = node.isArray() ? node : field(node, "Items");
        JavaType listType = json.getTypeFactory().constructCollectionType(List.class, type);
        try {
            return items == null ? List.of() : json.treeToValue(items, listType);
        } catch (IOException e) {
            throw shapeError(endpoint, e);
        }
    }

    private JsonNode call(ContabiliumAccount account, String endpoint, String method, String pathAndQuery, Object body,
            boolean idempotent) {
        byte[] answer = raw(account, endpoint, method, pathAndQuery, body, idempotent).body();
        if (answer == null || answer.length == 0) {
            return json.nullNode();
        }
        try {
            return json.readTree(answer);
        } catch (IOException e) {
            throw shapeError(endpoint, e);
        }
    }

    /** Sends with the account's token; on a 401 fetches a new token once and tries again. */
    private HttpResponse<byte[]> raw(ContabiliumAccount account, String endpoint, String method, String pathAndQuery,
            Object body, boolean idempotent) {
        return raw(account, endpoint, method, pathAndQuery, body, idempotent, null);
    }

    private HttpResponse<byte[]> raw(ContabiliumAccount account, String endpoint, String method, String pathAndQuery,
            Object body, boolean idempotent, Duration maxWait) {
        byte[] payload = body == null ? null : write(body);
        URI uri = URI.create(baseUrl + pathAndQuery);
        RateLimiter limiter = pathAndQuery.startsWith("/api/inventarios/")
                ? budget(account).inventory() : budget(account).general();
        for (int attempt = 1; ; attempt++) {
            String token = token(account);
            try {
                ApiTransport.Call call = new ApiTransport.Call(endpoint,
                        () -> ApiTransport.jsonRequest(uri, readTimeout, "Bearer " + token, method, payload),
                        limiter, idempotent);
                return transport.send(maxWait == null ? call : call.within(maxWait));
            } catch (ApiCallException e) {
                // A 401 means the call was refused before it ran: safe to repeat once with a new token.
                if (e.is(ApiCallException.Kind.UNAUTHORIZED) && attempt == 1) {
                    tokens.remove(account.clientId(), tokens.get(account.clientId()));
                    continue;
                }
                throw e;
            }
        }
    }

    private String token(ContabiliumAccount account) {
        String secretHash = Integer.toHexString(account.clientSecret().hashCode());
        Token cached = tokens.get(account.clientId());
        if (cached != null && cached.secretHash().equals(secretHash) && Instant.now().isBefore(cached.refreshAfter())) {
            return cached.value();
        }
        String form = "grant_type=client_credentials&client_id=" + enc(account.clientId())
                + "&client_secret=" + enc(account.clientSecret());
        HttpResponse<byte[]> response;
        try {
            response = transport.send(new ApiTransport.Call("token", () -> HttpRequest.newBuilder(URI.create(baseUrl + "/token"))
                    .timeout(readTimeout)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(), budget(account).general(), true));
        } catch (ApiCallException e) {
            if (e.status() == 400 || e.is(ApiCallException.Kind.UNAUTHORIZED)) {
                throw new ApiCallException(API, "token", e.status(), ApiCallException.Kind.UNAUTHORIZED,
                        "Contabilium refused the API e-mail and key", null);
            }
            throw e;
        }
        JsonNode node;
        try {
            node = json.readTree(response.body());
        } catch (IOException e) {
            throw shapeError("token", e);
        }
        String value = node.path("access_token").asText("");
        if (value.isEmpty()) {
            throw new ApiCallException(API, "token", response.statusCode(), ApiCallException.Kind.UNAVAILABLE,
                    "no access_token in the answer", null);
        }
        long expiresIn = node.path("expires_in").asLong(3600);
        Instant refreshAfter = Instant.now().plusSeconds(expiresIn).minus(TOKEN_MARGIN);
        tokens.put(account.clientId(), new Token(secretHash, value, refreshAfter));
        return value;
    }

    /**
     * About how long until the account's general budget has room for a call (zero: now), reserving
     * nothing: an invoice turn of an account out of budget is scheduled for then instead of waiting.
     */
    public Duration budgetWait(String clientId) {
        return budget(new ContabiliumAccount(clientId, "")).general().untilFree();
    }

    /** The account's budgets, or the one instance-wide pair ("*"): shared by every replica where budgets are. */
    private Budget budget(ContabiliumAccount account) {
        // Contabilium's client ids are e-mail addresses: one budget whatever their case.
        String key = limits.scope() == ConnectorProperties.LimitScope.ACCOUNT
                ? account.clientId().toLowerCase(java.util.Locale.ROOT) : "*";
        return budgets.computeIfAbsent(key, k -> new Budget(
                budget(API + ":" + k + ":general", limits.requests()),
                budget(API + ":" + k + ":inventory", limits.inventoryRequests())));
    }

    private RateLimiter budget(String name, int requests) {
        return budgetStore.budget(name, requests > 0 ? List.of(new ApiBudgets.Limit(requests, limits.period())) : List.of());
    }

    private long readId(JsonNode node) {
        // Answered as a bare number; tolerated: {"Id": n} or a numeric string.
        JsonNode id = node.isObject() ? field(node, "Id") : node;
        if (id == null || !(id.isNumber() || id.isTextual() && id.asText().matches("\\d+"))) {
            throw new ApiCallException(API, "id", 200, ApiCallException.Kind.UNAVAILABLE, "no id in the answer", null);
        }
        return id.asLong();
    }

    private static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (var it = node.fields(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private <T> T convert(JsonNode node, Class<T> type) {
        try {
            return json.treeToValue(node, type);
        } catch (IOException e) {
            throw shapeError(type.getSimpleName(), e);
        }
    }

    private byte[] write(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiCallException shapeError(String endpoint, IOException e) {
        return new ApiCallException(API, endpoint, 200, ApiCallException.Kind.UNAVAILABLE, "unexpected answer shape", e);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    /** Contabilium blocks for a fixed time after a 429 (connector.contabilium.rate-limit.block). */
    static final class Policy implements ApiTransport.Policy {
        private static final ObjectMapper ERRORS = new ObjectMapper();
        private final Duration block;

        Policy(Duration block) {
            this.block = block;
        }

        @Override
        public Duration waitAfterTooManyRequests(HttpResponse<byte[]> response) {
            return block;
        }

        @Override
        public String errorMessage(byte[] body) {
            try {
                JsonNode node = ERRORS.readTree(body);
                for (String name : List.of("Message", "message", "Description", "error_description", "error")) {
                    if (node != null && node.hasNonNull(name)) {
                        return node.get(name).asText();
                    }
                }
            } catch (IOException ignored) {
                // not JSON: fall through
            }
            return body == null ? "" : new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        }
    }

    /** Contabilium already holds a customer with that document. */
    public static final class DuplicateCustomerException extends RuntimeException {
        DuplicateCustomerException(Throwable cause) {
            super("Contabilium already holds a customer with that document", cause);
        }
    }
}
