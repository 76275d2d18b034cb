package ar.connector.invoicing;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

import ar.connector.contabilium.CbModel;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.invoicing.fiscal.ProductInfo;

/**
 * Cached reads that many invoices share: the seller (its IVA condition and province) and the product
 * behind each SKU. A SKU that has no product, or a seller without an IVA condition, is not remembered
 * (or only briefly), so fixing it in Contabilium and retrying works.
 */
@Component
public class ContabiliumLookups {

    private final ContabiliumClient contabilium;
    private final TtlCache<String, CbModel.AccountInfo> sellers = new TtlCache<>(Duration.ofMinutes(10), 1_000);
    private final TtlCache<String, Optional<ProductInfo>> products = new TtlCache<>(Duration.ofMinutes(10), 100_000);
    private final TtlCache<String, Boolean> missing = new TtlCache<>(Duration.ofSeconds(30), 10_000);

    public ContabiliumLookups(ContabiliumClient contabilium) {
        this.contabilium = contabilium;
    }

    /** The seller's {@code CondicionIVA} upper-cased, or null when the account does not state it. */
    public String sellerCondicionIva(ContabiliumAccount account) {
        String condition = seller(account).condicionIva();
        return condition == null || condition.isBlank() ? null : condition.trim().toUpperCase(Locale.ROOT);
    }

    /** The account's own data ({@code usuarios/obtenerinfo}). */
    public CbModel.AccountInfo seller(ContabiliumAccount account) {
        String key = account.clientId().toLowerCase(Locale.ROOT);
        Optional<CbModel.AccountInfo> cached = sellers.get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        CbModel.AccountInfo info = contabilium.accountInfo(account);
        if (info.condicionIva() != null && !info.condicionIva().isBlank()) {
            sellers.put(key, info);
        }
        return info;
    }

    public Optional<ProductInfo> product(ContabiliumAccount account, String sku) {
        if (sku == null || sku.isBlank()) {
            return Optional.empty();
        }
        String key = account.clientId().toLowerCase() + "|" + sku.trim().toUpperCase();
        if (missing.get(key).isPresent()) {
            return Optional.empty();
        }
        Optional<ProductInfo> cached = products.get(key).flatMap(p -> p);
        if (cached.isPresent()) {
            return cached;
        }
        Optional<ProductInfo> found = contabilium.concepto(account, sku.trim()).map(ContabiliumLookups::info);
        if (found.isPresent()) {
            products.put(key, found);
        } else {
            missing.put(key, Boolean.TRUE);
        }
        return found;
    }

    /** A person is retrying: forget which SKUs were missing, they may have been created since. */
    public void forgetMissing() {
        missing.clear();
    }

    private static ProductInfo info(CbModel.Concepto concepto) {
        return new ProductInfo(concepto.id(), concepto.codigo(), concepto.nombre(), concepto.iva());
    }
}
