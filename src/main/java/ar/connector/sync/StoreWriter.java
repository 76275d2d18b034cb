package ar.connector.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import ar.connector.api.ApiCallException;
import ar.connector.jumpseller.JumpsellerClient;
import ar.connector.jumpseller.StoreCredentials;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Writes one changed stock or price to a store (the {@code sync-store} route splits a run's changes
 * over the {@code store-writes} thread pool, {@code connector.sync.concurrency} at a time, so the round
 * trip does not hold the rate far below the store's budget), at the product or variant endpoint as
 * the SKU dictates, through the client's per-store limiter. Remembers what it wrote for a while, so
 * the {@code product_updated}/{@code product_stock_updated} webhooks our own writes cause are
 * recognised as echoes and do not start another sync.
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

    /** One write to make: the store, what is written, and the change. */
    public record StoreWrite(StoreCredentials store, SyncKind kind, SyncDiff.Change change) {
    }

    /** What one write did: null refusal when the store took it. */
    public record WriteResult(String refusal) {
    }

    public StoreWriter(JumpsellerClient jumpseller, MeterRegistry meters) {
        this.jumpseller = jumpseller;
        this.meters = meters;
    }

    /**
     * One write. A refusal of this item (a 4xx) is answered, and the run goes on; an unreachable store or
     * refused credentials throw, and the run fails (the route's split stops on it).
     */
    public WriteResult write(StoreWrite write) {
        Counter counter = Counter.builder("connector.sync.writes").description("Stock and price writes to Jumpseller")
                .tag("store", write.store().storeCode()).tag("kind", write.kind().tag()).register(meters);
        return new WriteResult(writeOne(write.store(), write.kind(), write.change(), counter));
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
