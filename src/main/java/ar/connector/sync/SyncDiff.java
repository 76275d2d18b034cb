package ar.connector.sync;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares what Contabilium says an item should show with what the store shows now, by
 * case-insensitive SKU, and answers only the items that differ, plus the SKUs found on one side
 * only (reported, never guessed). Plain Java: no API calls, no Camel.
 */
public final class SyncDiff {

    private SyncDiff() {
    }

    /** A write to make: the listing as the store shows it and the value it should show. */
    public record Change(Listing listing, BigDecimal value) {
    }

    public record Result(int itemsRead, List<Change> changes, Set<String> onlyInContabilium, Set<String> onlyInStore) {
    }

    /**
     * Stock: a listing differs when its stock is not the target, or when its stock is unlimited
     * (then the number shown means nothing). Targets are whole units, never negative.
     *
     * @param targets upper-cased SKU -> sellable units for this store
     * @param only    when not null, the SKUs to look at (an event-driven sync); others are left alone
     */
    public static Result stock(Map<String, BigDecimal> targets, List<Listing> listings, Set<String> only) {
        return diff(targets, listings, only, (listing, target) -> {
            BigDecimal units = wholeUnits(target);
            boolean differs = listing.stockUnlimited() || listing.stock() == null
                    || listing.stock() != units.intValueExact();
            return differs ? units : null;
        });
    }

    /** Prices: a listing differs when its price is not the list's final price (IVA included), to the cent. */
    public static Result price(Map<String, BigDecimal> prices, List<Listing> listings) {
        return diff(prices, listings, null, (listing, target) -> {
            BigDecimal price = target.setScale(2, RoundingMode.HALF_UP);
            return listing.price() == null || listing.price().compareTo(price) != 0 ? price : null;
        });
    }

    /** Sellable whole units: fractions are not sold, and nothing below zero is shown. */
    public static BigDecimal wholeUnits(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value.setScale(0, RoundingMode.FLOOR).max(BigDecimal.ZERO);
    }

    private interface Rule {
        BigDecimal newValue(Listing listing, BigDecimal target);
    }

    private static Result diff(Map<String, BigDecimal> targets, List<Listing> listings, Set<String> only, Rule rule) {
        List<Change> changes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> onlyInStore = new TreeSet<>();
        int read = 0;
        for (Listing listing : listings) {
            if (!listing.hasSku() || only != null && !only.contains(listing.key())) {
                continue;
            }
            read++;
            BigDecimal target = targets.get(listing.key());
            if (target == null) {
                onlyInStore.add(listing.sku().trim());
                continue;
            }
            seen.add(listing.key());
            BigDecimal value = rule.newValue(listing, target);
            if (value != null) {
                changes.add(new Change(listing, value));
            }
        }
        Set<String> onlyInContabilium = new TreeSet<>();
        for (String sku : only == null ? targets.keySet() : only) {
            if (targets.containsKey(sku) && !seen.contains(sku)) {
                onlyInContabilium.add(sku);
            }
        }
        return new Result(read, changes, onlyInContabilium, onlyInStore);
    }
}
