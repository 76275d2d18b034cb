package ar.connector.sync;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ar.connector.jumpseller.JsModel;

/**
 * One sellable item of a Jumpseller catalogue: a product without variants, or one variant of a
 * product (then {@code variantId} is set and stock and price live on the variant).
 */
public record Listing(long productId, Long variantId, String sku, Integer stock, boolean stockUnlimited,
        BigDecimal price, BigDecimal compareAtPrice) {

    /** The catalogue key: SKUs match exactly but case-insensitively. */
    public static String key(String sku) {
        return sku == null ? null : sku.trim().toUpperCase(Locale.ROOT);
    }

    public String key() {
        return key(sku);
    }

    public boolean hasSku() {
        return sku != null && !sku.isBlank();
    }

    /** The items of a product as they are written: the product itself, or each of its variants. */
    public static List<Listing> of(JsModel.Product product) {
        List<Listing> out = new ArrayList<>();
        if (product.variantList().isEmpty()) {
            out.add(new Listing(product.id(), null, product.sku(), product.stock(),
                    Boolean.TRUE.equals(product.stockUnlimited()), product.price(), product.compareAtPrice()));
        } else {
            for (JsModel.Variant v : product.variantList()) {
                out.add(new Listing(product.id(), v.id(), v.sku(), v.stock(), Boolean.TRUE.equals(v.stockUnlimited()),
                        v.price(), v.compareAtPrice()));
            }
        }
        return out;
    }
}
