package ar.connector.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import ar.connector.jumpseller.JsModel;
import ar.connector.jumpseller.JumpsellerClient;
import ar.connector.jumpseller.StoreCredentials;

/**
 * Reads a store's catalogue as {@link Listing}s. The full read pages through
 * {@code /products.json} (100 a call) and leaves behind an index SKU -> product, so that a sync
 * of a few SKUs later reads just their products; {@code /products/search.json} is never used,
 * because its fuzzy match cannot be trusted as an SKU lookup.
 */
@Component
public class StoreCatalogue {

    private final JumpsellerClient jumpseller;
    private final Map<String, Index> indexes = new ConcurrentHashMap<>();

    private record Index(Map<String, Set<Long>> productsBySku, Instant readAt) {
    }

    public StoreCatalogue(JumpsellerClient jumpseller) {
        this.jumpseller = jumpseller;
    }

    /** Every listing of the store, page by page. */
    public List<Listing> all(StoreCredentials store) {
        List<Listing> listings = new ArrayList<>();
        jumpseller.forEachProduct(store, product -> listings.addAll(Listing.of(product)));
        Map<String, Set<Long>> bySku = new HashMap<>();
        for (Listing listing : listings) {
            if (listing.hasSku()) {
                bySku.computeIfAbsent(listing.key(), k -> new LinkedHashSet<>()).add(listing.productId());
            }
        }
        indexes.put(store.storeCode(), new Index(bySku, Instant.now()));
        return listings;
    }

    /**
     * The current listings of these SKUs: their products read one by one when the index (younger
     * than {@code maxAge}) knows them, else the whole catalogue once.
     */
    public List<Listing> forSkus(StoreCredentials store, Collection<String> skus, Duration maxAge) {
        Index index = indexes.get(store.storeCode());
        if (index == null || index.readAt().isBefore(Instant.now().minus(maxAge))) {
            return all(store);
        }
        Set<Long> products = new LinkedHashSet<>();
        for (String sku : skus) {
            products.addAll(index.productsBySku().getOrDefault(sku, Set.of()));
        }
        List<Listing> listings = new ArrayList<>();
        for (Long id : products) {
            Optional<JsModel.Product> product = jumpseller.product(store, id);
            product.ifPresent(p -> listings.addAll(Listing.of(p)));
        }
        return listings;
    }
}
