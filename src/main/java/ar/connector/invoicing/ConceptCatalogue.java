package ar.connector.invoicing;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import ar.connector.contabilium.CbModel;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.invoicing.fiscal.ProductInfo;

/**
 * Each Contabilium account's concepts by SKU (Id and IVA rate), so invoices do not ask for each SKU
 * one call at a time. Filled by reading the account's catalogue a page (50 concepts) per call —
 * when a bulk run starts, or when several SKUs of an account turn out unknown within a minute —
 * at most {@code connector.contabilium.catalogue-pages} pages (an account with a larger catalogue
 * keeps what was read and asks for the rest SKU by SKU). A SKU still unknown costs one
 * {@code conceptos/getByCodigo}; a SKU Contabilium does not have is remembered for 30 s only, so
 * creating it and retrying works. Entries live 10 minutes (a changed IVA rate is seen after that);
 * the whole is bounded in size.
 */
@Component
public class ConceptCatalogue {

    private static final Logger log = LoggerFactory.getLogger(ConceptCatalogue.class);
    /** Unknown SKUs of one account within a minute that make reading its catalogue worth it. */
    static final int MANY_MISSES = 3;
    static final Duration TTL = Duration.ofMinutes(10);

    private final ContabiliumClient contabilium;
    private final int maxPages;
    private final Cache<String, ProductInfo> concepts = Caffeine.newBuilder().expireAfterWrite(TTL)
            .maximumSize(200_000).build();
    private final Cache<String, Boolean> missing = Caffeine.newBuilder().expireAfterWrite(Duration.ofSeconds(30))
            .maximumSize(10_000).build();
    /** Accounts whose catalogue was read within the TTL (value: the pages read). */
    private final Cache<String, Integer> filled = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(10_000).build();
    /** SKUs looked up one by one per account in the last minute. */
    private final Cache<String, AtomicInteger> misses = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(1)).maximumSize(10_000).build();
    private final Map<String, Object> fillLocks = new ConcurrentHashMap<>();

    public ConceptCatalogue(ContabiliumClient contabilium,
            @Value("${connector.contabilium.catalogue-pages:20}") int maxPages) {
        this.contabilium = contabilium;
        this.maxPages = maxPages;
    }

    /** The concept behind a SKU: from the catalogue, else one {@code getByCodigo}. */
    public Optional<ProductInfo> product(ContabiliumAccount account, String sku) {
        if (sku == null || sku.isBlank()) {
            return Optional.empty();
        }
        String accountKey = accountKey(account);
        String key = key(accountKey, sku);
        ProductInfo known = concepts.getIfPresent(key);
        if (known != null) {
            return Optional.of(known);
        }
        if (missing.getIfPresent(key) != null) {
            return Optional.empty();
        }
        if (misses.get(accountKey, k -> new AtomicInteger()).incrementAndGet() >= MANY_MISSES
                && filled.getIfPresent(accountKey) == null) {
            fill(account);
            known = concepts.getIfPresent(key);
            if (known != null) {
                return Optional.of(known);
            }
        }
        Optional<ProductInfo> found = contabilium.concepto(account, sku.trim()).map(ConceptCatalogue::info);
        if (found.isPresent()) {
            concepts.put(key, found.get());
        } else {
            missing.put(key, Boolean.TRUE);
        }
        return found;
    }

    /**
     * Reads the account's catalogue (at most the configured pages) unless it was read within the
     * TTL; answers the number of calls made. Concurrent callers for one account wait for one read.
     */
    public int fill(ContabiliumAccount account) {
        String accountKey = accountKey(account);
        if (filled.getIfPresent(accountKey) != null) {
            return 0;
        }
        synchronized (fillLocks.computeIfAbsent(accountKey, k -> new Object())) {
            if (filled.getIfPresent(accountKey) != null) {
                return 0;
            }
            int pages = 0;
            int read = 0;
            boolean whole = false;
            try {
                while (pages < maxPages) {
                    CbModel.Page<CbModel.Concepto> page = contabilium.conceptos(account, pages + 1);
                    pages++;
                    page.items().forEach(c -> remember(account, c));
                    read += page.items().size();
                    if (page.items().size() < ContabiliumClient.PAGE_SIZE) {
                        whole = true;
                        break;
                    }
                }
            } finally {
                // Even a failed read is not repeated at once: SKUs are then asked one by one.
                filled.put(accountKey, pages);
            }
            log.debug("Catalogue of {}: {} concepts in {} pages{}", account.clientId(), read, pages,
                    whole ? "" : " (not all: the rest SKU by SKU)");
            return pages;
        }
    }

    /** A concept read elsewhere (a sync, a look-up): remembered when it carries an Id and a code. */
    public void remember(ContabiliumAccount account, CbModel.Concepto concepto) {
        if (concepto == null || concepto.id() == null || concepto.codigo() == null || concepto.codigo().isBlank()) {
            return;
        }
        String key = key(accountKey(account), concepto.codigo());
        concepts.put(key, info(concepto));
        missing.invalidate(key);
    }

    /** A person is retrying: forget which SKUs were missing, they may have been created since. */
    public void forgetMissing() {
        missing.invalidateAll();
    }

    private static String accountKey(ContabiliumAccount account) {
        return account.clientId().toLowerCase(Locale.ROOT);
    }

    private static String key(String accountKey, String sku) {
        return accountKey + "|" + sku.trim().toUpperCase(Locale.ROOT);
    }

    private static ProductInfo info(CbModel.Concepto concepto) {
        return new ProductInfo(concepto.id(), concepto.codigo(), concepto.nombre(), concepto.iva());
    }
}
