package ar.connector.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import ar.connector.config.ConnectorProperties;

import ar.connector.api.ApiCallException;
import ar.connector.jumpseller.JumpsellerClient;
import ar.connector.jumpseller.StoreCredentials;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Writes changed stock and prices to a store, one request per item at the product or variant
 * endpoint as the SKU dictates, through the client's per-store limiter, a few at a time
 * ({@code connector.sync.concurrency}) so the round trip does not hold the rate far below the
 * limit. Remembers what it wrote
 * for a while, so the {@code product_updated}/{@code product_stock_updated} webhooks our own
 * writes cause are recognised as echoes and do not start another sync.
 */
@Component
public class StoreWriter {

    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    private static final Duration ECHO_MEMORY = Duration.ofMinutes(15);
    private static final int ECHO_CAPACITY = 200_000;

    private final JumpsellerClient jumpseller;
    private final MeterRegistry meters;
    private final Map<String, Written> written = new ConcurrentHashMap<>();

    private record Written(int stock, Instant at) {
    }

    /** What a batch of writes did: how many succeeded, and the first refusal if any. */
    public record Outcome(int written, int failed, String firstError) {
    }

    private final int concurrency;
    private final ExecutorService pool;

    public StoreWriter(JumpsellerClient jumpseller, MeterRegistry meters, ConnectorProperties properties) {
        this.jumpseller = jumpseller;
        this.meters = meters;
        this.concurrency = Math.max(1, properties.sync().concurrency());
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sync-writer");
            t.setDaemon(true);
            return t;
        });
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    public Outcome write(StoreCredentials store, SyncKind kind, Iterable<SyncDiff.Change> changes) {
        int ok = 0;
        int failed = 0;
        String firstError = null;
        RuntimeException fatal = null;
        Counter counter = Counter.builder("connector.sync.writes").description("Stock and price writes to Jumpseller")
                .tag("store", store.storeCode()).tag("kind", kind.tag()).register(meters);
        CompletionService<String> done = new ExecutorCompletionService<>(pool);
        Iterator<SyncDiff.Change> next = changes.iterator();
        int inFlight = 0;
        while (true) {
            while (fatal == null && inFlight < concurrency && next.hasNext()) {
                SyncDiff.Change change = next.next();
                done.submit(() -> writeOne(store, kind, change, counter));
                inFlight++;
            }
            if (inFlight == 0) {
                break;
            }
            Future<String> result;
            try {
                result = done.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing to store " + store.storeCode(), e);
            }
            inFlight--;
            try {
                String refusal = result.get();
                if (refusal == null) {
                    ok++;
                } else {
                    failed++;
                    firstError = firstError == null ? refusal : firstError;
                }
            } catch (ExecutionException e) {
                // The store is unreachable or refuses our credentials: finish what is under way, then fail the run.
                fatal = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing to store " + store.storeCode(), e);
            }
        }
        if (fatal != null) {
            throw fatal;
        }
        return new Outcome(ok, failed, firstError);
    }

    /** One write; answers null when done, or why the store refused it. */
    private String writeOne(StoreCredentials store, SyncKind kind, SyncDiff.Change change, Counter counter) {
        Listing listing = change.listing();
        Map<String, Object> fields = new HashMap<>();
        int stockAfter;
        if (kind == SyncKind.STOCK) {
            stockAfter = change.value().intValueExact();
            fields.put("stock", stockAfter);
            fields.put("stock_unlimited", false);
        } else {
            stockAfter = listing.stock() == null ? -1 : listing.stock();
            fields.put("price", change.value());
            // Jumpseller refuses a price at or above the compare-at price: that "was" price is void now.
            if (listing.compareAtPrice() != null && listing.compareAtPrice().signum() > 0
                    && listing.compareAtPrice().compareTo(change.value()) <= 0) {
                fields.put("compare_at_price", null);
            }
        }
        try {
            if (listing.variantId() == null) {
                jumpseller.updateProduct(store, listing.productId(), fields);
            } else {
                jumpseller.updateVariant(store, listing.productId(), listing.variantId(), fields);
            }
            counter.increment();
            remember(store, listing, stockAfter);
            return null;
        } catch (ApiCallException e) {
            if (e.is(ApiCallException.Kind.UNAUTHORIZED) || e.is(ApiCallException.Kind.UNAVAILABLE)) {
                throw e; // the store is unreachable: the run fails and the next one starts over
            }
            String detail = (listing.sku() == null ? "#" + listing.productId() : listing.sku()) + ": " + e.getMessage();
            log.warn("Store {} refused the {} of {}", store.storeCode(), kind.tag(), detail);
            return detail;
        }
    }

    /** True when the store shows exactly what we wrote a moment ago: the webhook is our own echo. */
    public boolean isEcho(String storeCode, Listing shown) {
        Written w = written.get(echoKey(storeCode, shown));
        return w != null && shown.stock() != null && w.stock() == shown.stock()
                && w.at().isAfter(Instant.now().minus(ECHO_MEMORY));
    }

    private void remember(StoreCredentials store, Listing listing, int stockAfter) {
        if (stockAfter < 0) {
            return;
        }
        if (written.size() > ECHO_CAPACITY) {
            Instant horizon = Instant.now().minus(ECHO_MEMORY);
            written.values().removeIf(w -> w.at().isBefore(horizon));
        }
        written.put(echoKey(store.storeCode(), listing), new Written(stockAfter, Instant.now()));
    }

    private static String echoKey(String storeCode, Listing listing) {
        return storeCode + "|" + listing.productId() + "|" + (listing.variantId() == null ? "" : listing.variantId());
    }

}
