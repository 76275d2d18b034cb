package ar.connector.sandbox.jumpseller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One Jumpseller store inside the sandbox: catalogue, orders, documents, hooks, counters.
 * State changes are serialized on the store's monitor; webhooks go out from the sandbox's
 * background threads.
 */
public final class SandboxStore {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final Set<String> HOOK_EVENTS = Set.of("order_updated", "order_pending_payment", "order_paid",
            "order_shipped", "order_canceled", "order_abandoned", "product_created", "product_updated",
            "product_deleted", "product_stock_updated", "customer_created", "customer_updated", "customer_deleted");
    private static final Map<String, String> STATUS_LABELS = Map.of(
            "paid", "Paid", "pending_payment", "Pending Payment", "canceled", "Canceled", "abandoned", "Abandoned");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    /** How Jumpseller writes an order's dates, in API answers and webhooks alike: "2023-02-10 13:56:35 UTC". */
    static final DateTimeFormatter ORDER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(java.time.ZoneOffset.UTC);

    private final JumpsellerSandbox sandbox;
    private final String code;
    private final String name;
    volatile String login;
    volatile String authToken;
    private final String hooksToken;
    private final ZoneId timezone = ZoneId.of("America/Argentina/Buenos_Aires");

    // Distinct id ranges make a product id passed where a variant id is expected fail loudly.
    private final AtomicLong productIds = new AtomicLong(100);
    private final AtomicLong variantIds = new AtomicLong(5000);
    private final AtomicLong orderIds = new AtomicLong(10000);
    private final AtomicLong hookIds = new AtomicLong(0);
    private final AtomicLong customerIds = new AtomicLong(70000);
    private final AtomicLong unknownProductIds = new AtomicLong(900000);

    private final Map<Long, SandboxProduct> products = new LinkedHashMap<>();
    private final TreeMap<Long, SandboxOrder> orders = new TreeMap<>();
    private final Map<Long, List<ObjectNode>> documents = new LinkedHashMap<>();
    private final Map<Long, HookState> hooks = new LinkedHashMap<>();
    private final Map<String, Long> customersByEmail = new LinkedHashMap<>();
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    final RateCounter rate = new RateCounter();

    private volatile boolean loose = true;
    private final java.util.concurrent.atomic.AtomicInteger lostDocumentAnswers = new java.util.concurrent.atomic.AtomicInteger();
    /** Null: prices include tax (the default). Else the rate Jumpseller adds at checkout, per SKU or by default. */
    private volatile BigDecimal addedTax;
    private volatile BigDecimal addedShippingTax;
    private final Map<String, BigDecimal> addedTaxBySku = new java.util.concurrent.ConcurrentHashMap<>();
    volatile int webhookAttempts = 5;
    volatile Duration webhookBackoff = Duration.ofMillis(100);
    volatile int pauseAfterFailures = 8;

    /** Mutable hook state; {@link SandboxHook} is its snapshot. */
    static final class HookState {
        final long id;
        final String event;
        final String url;
        final OffsetDateTime createdAt;
        boolean paused;
        int consecutiveFailures;

        HookState(long id, String event, String url, OffsetDateTime createdAt) {
            this.id = id;
            this.event = event;
            this.url = url;
            this.createdAt = createdAt;
        }

        synchronized SandboxHook snapshot() {
            return new SandboxHook(id, event, url, createdAt, paused, consecutiveFailures);
        }
    }

    SandboxStore(JumpsellerSandbox sandbox, String code, String name, String login, String authToken, String hooksToken) {
        this.sandbox = sandbox;
        this.code = code;
        this.name = name;
        this.login = login;
        this.authToken = authToken;
        this.hooksToken = hooksToken;
    }

    // ------------------------------------------------------------------ test-facing API

    public String code() { return code; }
    public String name() { return name; }
    public String hooksToken() { return hooksToken; }

    /** Regenerates the store's API credentials (Admin > Settings > API): the old ones stop working at once. */
    public void setCredentials(String login, String authToken) {
        this.login = login;
        this.authToken = authToken;
    }
    public ZoneId timezone() { return timezone; }

    /** Loose mode (default ON) reproduces the live API's looseness: string ids/amounts, nulls. */
    public boolean loose() { return loose; }
    public void setLoose(boolean loose) { this.loose = loose; }

    /**
     * Makes the store's prices exclude tax, as a Jumpseller store can be set up: from now on orders add IVA at
     * {@code rate} % to every product (or the rate {@link #setTaxRate} gives its SKU) and {@code shippingRate} % to
     * the shipping, in {@code tax}, {@code shipping_tax} and each product's {@code taxes}.
     */
    public void excludeTax(BigDecimal rate, BigDecimal shippingRate) {
        this.addedTax = rate;
        this.addedShippingTax = shippingRate;
    }

    /** The IVA rate a tax-excluded store adds to this SKU (0: none). */
    public void setTaxRate(String sku, BigDecimal rate) {
        addedTaxBySku.put(sku, rate);
    }

    public synchronized SandboxProduct addProduct(String name, String sku, BigDecimal price, int stock) {
        SandboxProduct p = new SandboxProduct(productIds.incrementAndGet(), name, now());
        p.sku = sku;
        p.price = price;
        p.stock = stock;
        products.put(p.id(), p);
        return p;
    }

    public synchronized SandboxProduct addProductWithVariants(String name, List<VariantSpec> variants) {
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("use addProduct for a product without variants");
        }
        SandboxProduct p = new SandboxProduct(productIds.incrementAndGet(), name, now());
        for (VariantSpec v : variants) {
            p.variants.add(new SandboxVariant(variantIds.incrementAndGet(), v.sku(), v.price(), v.stock()));
        }
        products.put(p.id(), p);
        return p;
    }

    public synchronized SandboxProduct product(long id) {
        SandboxProduct p = products.get(id);
        if (p == null) {
            throw new NoSuchElementException("no product " + id + " in store " + code);
        }
        return p;
    }

    /** The product holding this SKU, itself or in one of its variants. */
    public synchronized Optional<SandboxProduct> findBySku(String sku) {
        return products.values().stream()
                .filter(p -> sku.equals(p.sku()) || p.variantBySku(sku).isPresent())
                .findFirst();
    }

    public synchronized List<SandboxProduct> products() {
        return List.copyOf(products.values());
    }

    /** Removes a product from the catalogue (orders keep their lines, as in Jumpseller). */
    public synchronized void removeProduct(long id) {
        products.remove(id);
    }

    public OrderBuilder newOrder() {
        return new OrderBuilder(this);
    }

    /** The order as {@code GET /orders/{id}.json} answers it, unwrapped ({@code {"id":..,...}}). */
    public synchronized ObjectNode order(long id) {
        return orderJson(requireOrder(id));
    }

    public synchronized List<Long> orderIds() {
        return List.copyOf(orders.keySet());
    }

    /** Changes the order's status_enum and fires order_updated plus the status' own event. */
    public void setOrderStatus(long id, String statusEnum) {
        ObjectNode wrapped;
        synchronized (this) {
            SandboxOrder o = requireOrder(id);
            if (!STATUS_LABELS.containsKey(statusEnum)) {
                throw new IllegalArgumentException("unknown status_enum " + statusEnum);
            }
            if (statusEnum.equals(o.statusEnum)) {
                return;
            }
            o.statusEnum = statusEnum;
            if ("paid".equals(statusEnum) && o.completedAt == null) {
                o.completedAt = now();
            }
            wrapped = wrap("order", orderJson(o));
        }
        sandbox.webhooks().fire(this, "order_updated", wrapped);
        sandbox.webhooks().fire(this, "order_" + statusEnum, wrapped);
    }

    /** The next {@code times} document POSTs attach their document, then answer 500: the answer is lost. */
    public void loseNextDocumentAnswers(int times) {
        lostDocumentAnswers.set(times);
    }

    /** Documents attached with {@code POST /orders/{id}/documents.json}, unwrapped. */
    public synchronized List<ObjectNode> documents(long orderId) {
        return documents.getOrDefault(orderId, List.of()).stream().map(ObjectNode::deepCopy).toList();
    }

    public synchronized List<SandboxHook> hooks() {
        return hooks.values().stream().map(HookState::snapshot).toList();
    }

    public synchronized boolean isPaused(long hookId) {
        HookState h = hooks.get(hookId);
        return h != null && h.snapshot().paused();
    }

    /** Registers a hook directly (same effect as {@code POST /hooks.json}). */
    public synchronized SandboxHook registerHook(String event, String url) {
        HookState h = new HookState(hookIds.incrementAndGet(), event, url, now());
        hooks.put(h.id, h);
        return h.snapshot();
    }

    public int requestCount() { return rate.total(); }
    public int rateLimitHits() { return rate.hits(); }
    /** Most requests that arrived within one wall-clock-aligned second (429s included). */
    public int maxPerSecondObserved() { return rate.maxPerSecond(); }
    /** Most requests that arrived within one wall-clock-aligned minute (429s included). */
    public int maxPerMinuteObserved() { return rate.maxPerMinute(); }

    /**
     * @param attempts total attempts per delivery, the first included (live: 5)
     * @param backoff  pause between attempts (live: hours; short for tests)
     */
    public void setWebhookRetry(int attempts, Duration backoff) {
        this.webhookAttempts = Math.max(1, attempts);
        this.webhookBackoff = backoff;
    }

    /** Consecutive failed attempts after which a hook is paused (live: 8). */
    public void setPauseAfterFailures(int n) {
        this.pauseAfterFailures = n;
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Base64 HMAC-SHA256 of the raw body keyed with this store's hooks token, as Jumpseller signs. */
    public String sign(byte[] body) {
        return hmac(body, hooksToken);
    }

    /** Sends the last recorded delivery again, same bytes and signature (Jumpseller may repeat). */
    public int redeliverLast() {
        if (deliveries.isEmpty()) {
            throw new IllegalStateException("no delivery yet");
        }
        return replay(deliveries.get(deliveries.size() - 1));
    }

    /** Sends a recorded delivery again, byte for byte; returns the receiver's status (-1 on error). */
    public int replay(Delivery d) {
        return sandbox.deliver(d.url(), d.event(), d.storeCode(), d.body(), d.signature());
    }

    // ------------------------------------------------------------------ creation (from OrderBuilder)

    long createOrder(OrderBuilder b) {
        ObjectNode wrapped;
        String status;
        synchronized (this) {
            if (b.createdAt == null) {
                b.createdAt = now();
            }
            long customerId = b.customerId != null ? b.customerId
                    : customersByEmail.computeIfAbsent(b.email.toLowerCase(), e -> customerIds.incrementAndGet());
            List<SandboxOrder.Line> lines = new ArrayList<>();
            for (OrderBuilder.LineSpec spec : b.lines) {
                lines.add(resolveLine(spec));
            }
            SandboxOrder o = new SandboxOrder(b, orderIds.incrementAndGet(), customerId, lines, addedShippingTax);
            if ("paid".equals(o.statusEnum)) {
                o.completedAt = o.createdAt;
            }
            orders.put(o.id, o);
            status = o.statusEnum;
            wrapped = wrap("order", orderJson(o));
        }
        // An order is born pending; a seed created in another status fires that transition too.
        if (!"abandoned".equals(status)) {
            sandbox.webhooks().fire(this, "order_pending_payment", wrapped);
        }
        if (!"pending_payment".equals(status)) {
            sandbox.webhooks().fire(this, "order_updated", wrapped);
            sandbox.webhooks().fire(this, "order_" + status, wrapped);
        }
        return wrapped.get("order").get("id").asLong();
    }

    private SandboxOrder.Line resolveLine(OrderBuilder.LineSpec spec) {
        for (SandboxProduct p : products.values()) {
            if (spec.sku().equals(p.sku())) {
                return new SandboxOrder.Line(p.id(), null, spec.sku(), p.name(), spec.qty(), spec.unitPrice(),
                        spec.lineDiscount(), addedTax(spec.sku()));
            }
            Optional<SandboxVariant> v = p.variantBySku(spec.sku());
            if (v.isPresent()) {
                return new SandboxOrder.Line(p.id(), v.get().id(), spec.sku(), p.name() + " - " + spec.sku(),
                        spec.qty(), spec.unitPrice(), spec.lineDiscount(), addedTax(spec.sku()));
            }
        }
        // Products deleted from the catalogue still show in old orders, under an id nobody can read.
        return new SandboxOrder.Line(unknownProductIds.incrementAndGet(), null, spec.sku(), "Producto " + spec.sku(),
                spec.qty(), spec.unitPrice(), spec.lineDiscount(), addedTax(spec.sku()));
    }

    private BigDecimal addedTax(String sku) {
        return addedTax == null ? null : addedTaxBySku.getOrDefault(sku, addedTax);
    }

    // ------------------------------------------------------------------ REST operations

    synchronized Answer storeInfo() {
        ObjectNode s = JSON.objectNode();
        s.put("name", name);
        s.put("code", code);
        s.put("currency", "ARS");
        s.put("country", "AR");
        s.put("timezone", timezone.getId());
        s.put("email", "admin@" + code + ".example.com");
        s.put("hooks_token", hooksToken);
        s.put("url", "https://" + code + ".mitiendajumpseller.com");
        s.put("logo", "");
        s.put("weight_unit", "kg");
        s.put("subscription_status", "active");
        s.put("subscription_plan", "plus");
        ObjectNode address = s.putObject("address");
        address.put("address", "Av. Santa Fe 1234");
        address.put("city", "CABA");
        address.put("postal", "1059");
        address.put("region", "Buenos Aires");
        address.put("country", "Argentina");
        address.put("region_code", "C");
        address.put("country_code", "AR");
        // As the spec declares it: unwrapped (some sources show {"store":{...}}).
        return Answer.ok(s);
    }

    synchronized Answer getOrder(long id) {
        SandboxOrder o = orders.get(id);
        return o == null ? Answer.notFound("Order") : Answer.ok(wrap("order", orderJson(o)));
    }

    /** Orders with a greater id, ascending: the polling endpoint. */
    synchronized Answer ordersAfter(long id, Page page) {
        return Answer.ok(orderArray(page.slice(List.copyOf(orders.tailMap(id, false).values()))));
    }

    /** Newest first, like the admin list. */
    synchronized Answer ordersByStatus(String status, Page page) {
        if (!STATUS_LABELS.containsKey(status)) {
            return Answer.error(404, "Status invalid.");
        }
        return Answer.ok(orderArray(page.slice(newestFirst(o -> o.statusEnum.equals(status)))));
    }

    synchronized Answer ordersList(Page page) {
        return Answer.ok(orderArray(page.slice(newestFirst(o -> true))));
    }

    /**
     * {@code status_filters[]} (repeatable) and a {@code customDate} range compared by calendar day in
     * the store's timezone. Answers {@code {"orders":[...],"count":N}} where count is the total match.
     */
    synchronized Answer searchOrders(List<String> statusFilters, String dateFilter, String initialDate,
                                     String finalDate, Page page) {
        Predicate<SandboxOrder> match = o -> statusFilters.isEmpty() || statusFilters.contains(o.statusEnum);
        if (dateFilter != null) {
            LocalDate today = LocalDate.now(timezone);
            LocalDate from;
            LocalDate to = today;
            try {
                switch (dateFilter) {
                    case "today" -> from = today;
                    case "yesterday" -> { from = today.minusDays(1); to = from; }
                    case "last7days" -> from = today.minusDays(7);
                    case "last30days" -> from = today.minusDays(30);
                    case "last90days" -> from = today.minusDays(90);
                    case "customDate" -> {
                        from = LocalDate.parse(initialDate);
                        to = LocalDate.parse(finalDate);
                    }
                    default -> { return Answer.error(404, "Invalid query: dateFilter " + dateFilter); }
                }
            } catch (RuntimeException e) {
                return Answer.error(404, "Invalid query: customDate needs initialDate and finalDate as yyyy-MM-dd");
            }
            LocalDate f = from;
            LocalDate t = to;
            match = match.and(o -> {
                LocalDate day = o.createdAt.atZoneSameInstant(timezone).toLocalDate();
                return !day.isBefore(f) && !day.isAfter(t);
            });
        }
        List<SandboxOrder> all = newestFirst(match);
        ObjectNode result = JSON.objectNode();
        result.set("orders", orderArray(page.slice(all)));
        result.put("count", all.size());
        return Answer.ok(result);
    }

    synchronized Answer addDocument(long orderId, JsonNode body) {
        if (!orders.containsKey(orderId)) {
            return Answer.notFound("Order");
        }
        JsonNode d = body == null ? null : body.get("document");
        if (d == null || !d.isObject()) {
            return Answer.error(422, "document is missing");
        }
        Integer type = documentType(d.get("document_type"));
        if (type == null) {
            return Answer.error(422, "document_type must be 0 (credit note) or 1 (invoice)");
        }
        ObjectNode stored = JSON.objectNode();
        stored.put("document_type", type);
        for (String f : List.of("external_id", "public_id", "url")) {
            JsonNode v = d.get(f);
            if (v == null || v.isNull() || v.asText().isBlank()) {
                return Answer.error(422, f + " can't be blank");
            }
            stored.put(f, v.asText());
        }
        stored.put("order_id", orderId);
        stored.put("app_code", "api");
        documents.computeIfAbsent(orderId, k -> new ArrayList<>()).add(stored);
        if (lostDocumentAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return Answer.error(500, "Internal Server Error");
        }
        return Answer.ok(wrap("document", stored.deepCopy()));
    }

    synchronized Answer listDocuments(long orderId) {
        if (!orders.containsKey(orderId)) {
            return Answer.notFound("Order");
        }
        ArrayNode a = JSON.arrayNode();
        documents.getOrDefault(orderId, List.of()).forEach(d -> a.add(wrap("document", d.deepCopy())));
        return Answer.ok(a);
    }

    /** Accepts 0/1 as numbers or strings, and the spec's own "0 - credit note" / "1 - invoice". */
    private static Integer documentType(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        String s = n.asText().trim();
        if (s.startsWith("0")) return 0;
        if (s.startsWith("1")) return 1;
        return null;
    }

    synchronized Answer listProducts(Page page) {
        ArrayNode a = JSON.arrayNode();
        page.slice(List.copyOf(products.values())).forEach(p -> a.add(wrap("product", productJson(p))));
        return Answer.ok(a);
    }

    synchronized Answer getProduct(long id) {
        SandboxProduct p = products.get(id);
        return p == null ? Answer.notFound("Product") : Answer.ok(wrap("product", productJson(p)));
    }

    synchronized Answer listVariants(long productId) {
        SandboxProduct p = products.get(productId);
        if (p == null) {
            return Answer.notFound("Product");
        }
        ArrayNode a = JSON.arrayNode();
        p.variants().forEach(v -> a.add(wrap("variant", variantJson(v))));
        return Answer.ok(a);
    }

    /** Partial update of a product; stock/price fields only for products without variants. */
    Answer updateProduct(long id, JsonNode body) {
        ObjectNode wrapped;
        boolean stockChanged;
        synchronized (this) {
            SandboxProduct p = products.get(id);
            if (p == null) {
                return Answer.notFound("Product");
            }
            JsonNode f = body == null ? null : body.get("product");
            if (f == null || !f.isObject()) {
                return Answer.error(422, "product is missing");
            }
            boolean touchesStockOrPrice = f.has("stock") || f.has("stock_unlimited") || f.has("price")
                    || f.has("compare_at_price") || f.has("sku");
            if (p.hasVariants() && touchesStockOrPrice) {
                // Chosen: the live API keeps these per variant; writing them on the product is a client bug.
                return Answer.error(422, "Product has variants: update stock, price and sku per variant");
            }
            synchronized (p) {
                Edit edit = Edit.parse(f, p.price, p.compareAtPrice);
                if (edit.error() != null) {
                    return Answer.error(422, edit.error());
                }
                stockChanged = edit.applyStock(p.stock, p.stockUnlimited);
                if (f.hasNonNull("name")) p.name = f.get("name").asText();
                if (f.hasNonNull("sku")) p.sku = f.get("sku").asText();
                if (edit.stock() != null) p.stock = edit.stock();
                if (edit.stockUnlimited() != null) p.stockUnlimited = edit.stockUnlimited();
                p.price = edit.price();
                p.compareAtPrice = edit.compareAtPrice();
                p.updatedAt = now();
            }
            wrapped = wrap("product", productJson(p));
        }
        fireProductEvents(wrapped, stockChanged);
        return Answer.ok(wrapped);
    }

    Answer updateVariant(long productId, long variantId, JsonNode body) {
        ObjectNode wrappedVariant;
        ObjectNode wrappedProduct;
        boolean stockChanged;
        synchronized (this) {
            SandboxProduct p = products.get(productId);
            if (p == null) {
                return Answer.notFound("Product");
            }
            Optional<SandboxVariant> ov = p.variant(variantId);
            if (ov.isEmpty()) {
                return Answer.notFound("Variant");
            }
            JsonNode f = body == null ? null : body.get("variant");
            if (f == null || !f.isObject()) {
                return Answer.error(422, "variant is missing");
            }
            SandboxVariant v = ov.get();
            synchronized (v) {
                Edit edit = Edit.parse(f, v.price, v.compareAtPrice);
                if (edit.error() != null) {
                    return Answer.error(422, edit.error());
                }
                stockChanged = edit.applyStock(v.stock, v.stockUnlimited);
                if (f.hasNonNull("sku")) v.sku = f.get("sku").asText();
                if (edit.stock() != null) v.stock = edit.stock();
                if (edit.stockUnlimited() != null) v.stockUnlimited = edit.stockUnlimited();
                v.price = edit.price();
                v.compareAtPrice = edit.compareAtPrice();
            }
            synchronized (p) {
                p.updatedAt = now();
            }
            wrappedVariant = wrap("variant", variantJson(v));
            wrappedProduct = wrap("product", productJson(p));
        }
        fireProductEvents(wrappedProduct, stockChanged);
        return Answer.ok(wrappedVariant);
    }

    private void fireProductEvents(ObjectNode wrappedProduct, boolean stockChanged) {
        sandbox.webhooks().fire(this, "product_updated", wrappedProduct);
        if (stockChanged) {
            sandbox.webhooks().fire(this, "product_stock_updated", wrappedProduct);
        }
    }

    /**
     * The stock/price part of a product or variant write, validated before anything is applied.
     * Enforces the contract pitfall: compare_at_price must stay above price, so a price write below
     * it is rejected unless the same body clears (null or 0) or raises compare_at_price.
     */
    record Edit(Integer stock, Boolean stockUnlimited, BigDecimal price, BigDecimal compareAtPrice, String error) {

        static Edit parse(JsonNode f, BigDecimal currentPrice, BigDecimal currentCompareAt) {
            Integer stock = null;
            Boolean unlimited = null;
            BigDecimal price = currentPrice;
            BigDecimal compareAt = currentCompareAt;
            try {
                if (f.has("stock")) {
                    stock = new BigDecimal(f.get("stock").asText()).intValueExact();
                    if (stock < 0) {
                        return failure("stock must be greater than or equal to 0");
                    }
                }
                if (f.has("stock_unlimited")) {
                    JsonNode u = f.get("stock_unlimited");
                    if (!u.isBoolean() && !u.asText().matches("true|false")) {
                        return failure("stock_unlimited must be a boolean");
                    }
                    unlimited = u.asBoolean() || "true".equals(u.asText());
                }
                if (f.has("price")) {
                    price = new BigDecimal(f.get("price").asText());
                    if (price.signum() < 0) {
                        return failure("price must be greater than or equal to 0");
                    }
                }
                if (f.has("compare_at_price")) {
                    JsonNode c = f.get("compare_at_price");
                    compareAt = c.isNull() || c.asText().isBlank() ? null : new BigDecimal(c.asText());
                    if (compareAt != null && compareAt.signum() == 0) {
                        compareAt = null;
                    }
                }
            } catch (NumberFormatException | ArithmeticException e) {
                return failure("invalid number: " + e.getMessage());
            }
            if (compareAt != null && price != null && compareAt.compareTo(price) <= 0) {
                return failure("compare_at_price must be greater than price (" + compareAt + " <= " + price + ")");
            }
            return new Edit(stock, unlimited, price, compareAt, null);
        }

        private static Edit failure(String message) {
            return new Edit(null, null, null, null, message);
        }

        boolean applyStock(int currentStock, boolean currentUnlimited) {
            return (stock != null && stock != currentStock)
                    || (stockUnlimited != null && stockUnlimited != currentUnlimited);
        }
    }

    synchronized Answer listHooks(Page page) {
        ArrayNode a = JSON.arrayNode();
        // Paused hooks are left out: the spec's Hook has no field to show it (see SandboxHook).
        page.slice(hooks.values().stream().filter(h -> !h.snapshot().paused()).toList())
                .forEach(h -> a.add(wrap("hook", hookJson(h))));
        return Answer.ok(a);
    }

    synchronized Answer createHook(JsonNode body) {
        JsonNode f = body == null ? null : body.get("hook");
        if (f == null || !f.isObject()) {
            return Answer.error(422, "hook is missing");
        }
        String event = f.path("event").asText("");
        String url = f.path("url").asText("");
        if (!HOOK_EVENTS.contains(event)) {
            return Answer.error(422, "event is not included in the list");
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            return Answer.error(422, "url is invalid");
        }
        HookState h = new HookState(hookIds.incrementAndGet(), event, url, now());
        hooks.put(h.id, h);
        return Answer.ok(wrap("hook", hookJson(h)));
    }

    synchronized Answer deleteHook(long id) {
        if (hooks.remove(id) == null) {
            return Answer.notFound("Hook");
        }
        // The spec declares a bare JSON string for this answer.
        return Answer.ok(JSON.textNode("Hook deleted."));
    }

    synchronized List<HookState> activeHooks(String event) {
        return hooks.values().stream().filter(h -> h.event.equals(event) && !h.snapshot().paused()).toList();
    }

    // ------------------------------------------------------------------ rendering

    private ArrayNode orderArray(List<SandboxOrder> list) {
        ArrayNode a = JSON.arrayNode();
        list.forEach(o -> a.add(wrap("order", orderJson(o))));
        return a;
    }

    private List<SandboxOrder> newestFirst(Predicate<SandboxOrder> filter) {
        return orders.descendingMap().values().stream().filter(filter).toList();
    }

    private SandboxOrder requireOrder(long id) {
        SandboxOrder o = orders.get(id);
        if (o == null) {
            throw new NoSuchElementException("no order " + id + " in store " + code);
        }
        return o;
    }

    /**
     * Order JSON per openapi OrderFields. In loose mode it reproduces what the live API is known to
     * send: customer.id as a string, amounts as strings on every even-numbered order, null
     * street_number when the buyer gave none and null variant_id on simple products.
     */
    private ObjectNode orderJson(SandboxOrder o) {
        boolean stringAmounts = loose && o.id % 2 == 0;
        ObjectNode n = JSON.objectNode();
        n.put("id", o.id);
        n.put("created_at", ORDER_TIME.format(o.createdAt));
        if (o.completedAt != null) {
            n.put("completed_at", ORDER_TIME.format(o.completedAt));
        }
        n.put("currency", o.currency);
        money(n, "subtotal", o.subtotal, stringAmounts);
        money(n, "tax", o.tax, stringAmounts);
        money(n, "shipping_tax", o.shippingTax, stringAmounts);
        money(n, "shipping", o.shipping, stringAmounts);
        n.put("shipping_required", true);
        money(n, "total", o.total(), stringAmounts);
        money(n, "discount", o.discount, stringAmounts);
        money(n, "shipping_discount", o.shippingDiscount, stringAmounts);
        if (o.shippingTax.signum() > 0) {
            n.putArray("shipping_taxes").addObject().put("id", 1).put("name", "IVA").put("country", "AR")
                    .put("rate", o.shippingTaxRate).put("fixed", false).put("tax_on_shipping_price", false);
        }
        money(n, "gift_cards_discount", o.giftCardsDiscount, stringAmounts);
        n.put("fulfillment_status", "unfulfilled");
        n.put("shipping_method_name", "Envío a domicilio");
        n.put("payment_method_name", "Mercado Pago");
        n.put("payment_method_type", "external");
        n.put("coupons", "");
        n.putArray("promotions");
        String label = STATUS_LABELS.get(o.statusEnum);
        n.put("status", label);
        n.put("status_name", label);
        n.put("status_enum", o.statusEnum);
        n.put("shipping_option", "delivery");
        n.put("same_day_delivery", false);
        n.put("shipment_status", "Unfulfilled");
        n.put("shipment_status_enum", "unfulfilled");

        ObjectNode c = n.putObject("customer");
        if (loose) {
            c.put("id", Long.toString(o.customerId));
        } else {
            c.put("id", o.customerId);
        }
        c.put("email", o.email);
        c.put("phone", o.phone);
        c.put("fullname", o.fullname);

        ObjectNode shipping = n.putObject("shipping_address");
        addressFields(shipping, o);
        ObjectNode billing = n.putObject("billing_address");
        addressFields(billing, o);
        billing.put("taxid", o.taxid);

        ObjectNode info = n.putObject("billing_information");
        info.put("company_name", o.companyName);
        info.put("taxpayer_type", o.taxpayerType);
        info.put("business_activity", "");

        ArrayNode fields = n.putArray("additional_fields");
        for (SandboxOrder.AdditionalField f : o.additionalFields) {
            ObjectNode a = fields.addObject();
            a.put("id", f.id());
            a.put("label", f.label());
            a.put("value", f.value());
            a.put("area", f.area());
        }

        ArrayNode lines = n.putArray("products");
        for (SandboxOrder.Line l : o.lines) {
            ObjectNode a = lines.addObject();
            a.put("id", l.productId());
            if (l.variantId() != null) {
                a.put("variant_id", l.variantId());
            } else if (loose) {
                a.putNull("variant_id");
            }
            a.put("sku", l.sku());
            a.put("name", l.name());
            a.put("qty", l.qty());
            money(a, "price", l.price(), stringAmounts);
            money(a, "discount", l.discount(), stringAmounts);
            // No per-line "tax": the README lists it but the spec's OrderProduct has only "taxes"
            // (and the validator rejects unknown properties); with IVA-inclusive prices it is 0 anyway.
            a.put("weight", 1.0);
            ArrayNode taxes = a.putArray("taxes");
            if (l.taxRate() != null && l.taxRate().signum() > 0) {
                taxes.addObject().put("id", 1).put("name", "IVA").put("rate", l.taxRate()).put("fixed", false)
                        .put("tax_on_product_price", false);
            }
        }
        return n;
    }

    private void addressFields(ObjectNode a, SandboxOrder o) {
        a.put("name", o.name);
        a.put("surname", o.surname);
        a.put("address", o.address);
        if (o.streetNumber != null) {
            a.put("street_number", o.streetNumber);
        } else if (loose) {
            a.putNull("street_number");
        }
        a.put("city", o.city);
        a.put("postal", o.postal);
        a.put("region", o.region);
        if (o.regionCode != null) {
            a.put("region_code", o.regionCode);
        }
        a.put("country", "Argentina");
        a.put("country_code", "AR");
    }

    /** Product JSON per openapi ProductFields; in loose mode even-numbered products send prices as strings. */
    private ObjectNode productJson(SandboxProduct p) {
        boolean stringAmounts = loose && p.id() % 2 == 0;
        ObjectNode n = JSON.objectNode();
        synchronized (p) {
            n.put("id", p.id());
            n.put("name", p.name);
            n.put("page_title", p.name);
            n.put("type", "physical");
            money(n, "price", p.price(), stringAmounts);
            n.put("discount", 0.0);
            n.put("weight", 1.0);
            n.put("stock", p.stock());
            n.put("stock_unlimited", p.stockUnlimited());
            n.put("stock_threshold", 0);
            n.put("stock_notification", false);
            if (p.compareAtPrice() != null) {
                money(n, "compare_at_price", p.compareAtPrice(), stringAmounts);
            }
            if (p.sku() != null) {
                n.put("sku", p.sku());
            }
            n.put("brand", "");
            n.put("barcode", "");
            n.put("featured", false);
            n.put("status", "available");
            n.put("created_at", ISO.format(p.createdAt()));
            n.put("updated_at", ISO.format(p.updatedAt));
            n.put("package_format", "box");
            n.put("permalink", "producto-" + p.id());
            n.putArray("categories");
            n.putArray("images");
            ArrayNode vs = n.putArray("variants");
            p.variants().forEach(v -> vs.add(variantJson(v, stringAmounts)));
        }
        return n;
    }

    private ObjectNode variantJson(SandboxVariant v) {
        return variantJson(v, false);
    }

    private ObjectNode variantJson(SandboxVariant v, boolean stringAmounts) {
        ObjectNode n = JSON.objectNode();
        synchronized (v) {
            n.put("id", v.id());
            money(n, "price", v.price, stringAmounts);
            n.put("sku", v.sku);
            n.put("barcode", "");
            n.put("stock", v.stock);
            n.put("stock_unlimited", v.stockUnlimited);
            n.put("stock_threshold", 0);
            n.put("stock_notification", false);
            if (v.compareAtPrice != null) {
                money(n, "compare_at_price", v.compareAtPrice, stringAmounts);
            }
            ArrayNode options = n.putArray("options");
            ObjectNode option = options.addObject();
            option.put("name", "Variante");
            option.put("option_type", "option");
            option.put("value", v.sku);
        }
        return n;
    }

    private static ObjectNode hookJson(HookState h) {
        ObjectNode n = JSON.objectNode();
        n.put("id", h.id);
        n.put("name", h.event);
        n.put("event", h.event);
        n.put("url", h.url);
        n.put("created_at", ISO.format(h.createdAt));
        return n;
    }

    private static void money(ObjectNode n, String field, BigDecimal value, boolean asString) {
        BigDecimal v = value.setScale(2, RoundingMode.HALF_UP);
        if (asString) {
            n.put(field, v.toPlainString());
        } else {
            n.put(field, v);
        }
    }

    static ObjectNode wrap(String name, ObjectNode inner) {
        ObjectNode n = JSON.objectNode();
        n.set(name, inner);
        return n;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(timezone);
    }

    static String hmac(byte[] body, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
