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
 * behind each SKU (the {@link ConceptCatalogue}). A SKU that has no product, or a seller without an
 * IVA condition, is not remembered (or only briefly), so fixing it in Contabilium and retrying works.
 */
@Component
public class ContabiliumLookups {

    private final ContabiliumClient contabilium;
    private final TtlCache<String, CbModel.AccountInfo> sellers = new TtlCache<>(Duration.ofMinutes(10), 1_000);
    private final ConceptCatalogue catalogue;

    public ContabiliumLookups(ContabiliumClient contabilium, ConceptCatalogue catalogue) {
        this.contabilium = contabilium;
        this.catalogue = catalogue;
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

    /** The concept behind a SKU, from the account's {@link ConceptCatalogue}. */
    public Optional<ProductInfo> product(ContabiliumAccount account, String sku) {
        return catalogue.product(account, sku);
    }

    /** A person is retrying: forget which SKUs were missing, they may have been created since. */
    public void forgetMissing() {
        catalogue.forgetMissing();
    }
}
