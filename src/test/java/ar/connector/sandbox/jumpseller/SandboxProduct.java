package ar.connector.sandbox.jumpseller;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A catalogue product. A product without variants holds sku/price/stock itself (as in Jumpseller);
 * with variants those live in {@link #variants()} and the product-level values are derived.
 */
public final class SandboxProduct {
    private final long id;
    private final OffsetDateTime createdAt;
    final List<SandboxVariant> variants = new CopyOnWriteArrayList<>();
    String name;
    String sku;
    BigDecimal price;
    BigDecimal compareAtPrice;
    int stock;
    boolean stockUnlimited;
    OffsetDateTime updatedAt;

    SandboxProduct(long id, String name, OffsetDateTime createdAt) {
        this.id = id;
        this.name = name;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    public long id() { return id; }
    public synchronized String name() { return name; }
    public OffsetDateTime createdAt() { return createdAt; }
    public synchronized OffsetDateTime updatedAt() { return updatedAt; }
    public boolean hasVariants() { return !variants.isEmpty(); }
    public List<SandboxVariant> variants() { return List.copyOf(variants); }

    public Optional<SandboxVariant> variant(long variantId) {
        return variants.stream().filter(v -> v.id() == variantId).findFirst();
    }

    public Optional<SandboxVariant> variantBySku(String sku) {
        return variants.stream().filter(v -> sku.equals(v.sku())).findFirst();
    }

    /** Own SKU for a simple product; {@code null} for a product with variants. */
    public synchronized String sku() { return hasVariants() ? null : sku; }

    /** Own price, or the first variant's price (what the storefront shows as "from"). */
    public synchronized BigDecimal price() { return hasVariants() ? variants.get(0).price() : price; }

    public synchronized BigDecimal compareAtPrice() { return hasVariants() ? null : compareAtPrice; }

    /** Own stock, or the sum of the variants' stock. */
    public synchronized int stock() {
        return hasVariants() ? variants.stream().mapToInt(SandboxVariant::stock).sum() : stock;
    }

    public synchronized boolean stockUnlimited() {
        return hasVariants() ? variants.stream().anyMatch(SandboxVariant::stockUnlimited) : stockUnlimited;
    }

    /** Test-side setter for the compare-at price of a simple product (seed data for the 422 rule). */
    public synchronized SandboxProduct compareAtPrice(BigDecimal value) {
        this.compareAtPrice = value;
        return this;
    }

    /** Test-side setter for a variant's compare-at price. */
    public SandboxProduct variantCompareAtPrice(String variantSku, BigDecimal value) {
        SandboxVariant v = variantBySku(variantSku).orElseThrow();
        synchronized (v) {
            v.compareAtPrice = value;
        }
        return this;
    }
}
