package ar.connector.sandbox.jumpseller;

import java.math.BigDecimal;

/**
 * A variant of a {@link SandboxProduct}. Mutable sandbox state; reads and writes go through the
 * owning store's lock, so read it from tests only after the calls that change it have answered.
 */
public final class SandboxVariant {
    private final long id;
    String sku;
    BigDecimal price;
    BigDecimal compareAtPrice;
    int stock;
    boolean stockUnlimited;

    SandboxVariant(long id, String sku, BigDecimal price, int stock) {
        this.id = id;
        this.sku = sku;
        this.price = price;
        this.stock = stock;
    }

    public long id() { return id; }
    public synchronized String sku() { return sku; }
    public synchronized BigDecimal price() { return price; }
    public synchronized BigDecimal compareAtPrice() { return compareAtPrice; }
    public synchronized int stock() { return stock; }
    public synchronized boolean stockUnlimited() { return stockUnlimited; }
}
