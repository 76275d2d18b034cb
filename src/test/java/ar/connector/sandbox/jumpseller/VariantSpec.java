package ar.connector.sandbox.jumpseller;

import java.math.BigDecimal;

/** Seed data for one variant of {@link SandboxStore#addProductWithVariants}. */
public record VariantSpec(String sku, BigDecimal price, int stock) {
}
