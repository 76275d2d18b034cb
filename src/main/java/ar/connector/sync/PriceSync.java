package ar.connector.sync;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.links.Link;

/**
 * Price lists (SPEC §1.5): a Contabilium price list feeds every store linked to it. The
 * {@code price-sync} route plans a queued message per price list ({@link #plan}), reads each list
 * once ({@link #read}) and hands it to every store linked to it (the shared {@code sync-store} route),
 * which writes a product's or variant's price only where it is not the list's {@code PrecioFinal}
 * (IVA included) already; the stores' outcomes are added up per list ({@link #report}).
 */
@Component("priceSync")
public class PriceSync {

    private static final Logger log = LoggerFactory.getLogger(PriceSync.class);

    /** The runs of the stores linked to one price list of one Contabilium account. runs: runId -> link id. */
    public record PricePlan(ContabiliumAccount account, long listId, Map<String, Long> runs) {
    }

    private final SyncRuns runs;
    private final ContabiliumClient contabilium;

    public PriceSync(SyncRuns runs, ContabiliumClient contabilium) {
        this.runs = runs;
        this.contabilium = contabilium;
    }

    /** The runs still to do of one queued message, per price list, marked RUNNING. */
    public List<PricePlan> plan(SyncRequest request) {
        Map<String, Map<String, Link>> byList = new LinkedHashMap<>();
        runs.start(request.runIds()).forEach((runId, link) -> {
            if (link.getSettings().getListaDePreciosId() == null) {
                runs.failed(runId, "The link has no price list (settings.listaDePreciosId)");
            } else {
                byList.computeIfAbsent(StockSync.account(link) + "|" + link.getSettings().getListaDePreciosId(),
                        k -> new LinkedHashMap<>()).put(runId, link);
            }
        });
        List<PricePlan> plans = new ArrayList<>();
        byList.values().forEach(work -> {
            Map<String, Long> runIds = new LinkedHashMap<>();
            work.forEach((runId, link) -> runIds.put(runId, link.getId()));
            plans.add(new PricePlan(StockSync.credentials(work.values()),
                    work.values().iterator().next().getSettings().getListaDePreciosId(), runIds));
        });
        return plans;
    }

    /** Reads the list once: one store's sync per store linked to it, each with the whole list. */
    public List<SyncStores.StoreSync> read(PricePlan plan) {
        Map<String, BigDecimal> prices = new HashMap<>();
        contabilium.forEachPriceListItem(plan.account(), plan.listId(), item -> {
            if (item.codigo() != null && !item.codigo().isBlank() && item.precioFinal() != null) {
                prices.put(Listing.key(item.codigo()), item.precioFinal());
            }
        });
        Map<String, BigDecimal> list = Map.copyOf(prices);
        List<SyncStores.StoreSync> stores = new ArrayList<>();
        plan.runs().forEach((runId, linkId) -> stores.add(new SyncStores.StoreSync(runId, linkId, SyncKind.PRICE, list,
                null)));
        return stores;
    }

    /** The list could not be read: every store's run fails, and the next one starts over. */
    public void readFailed(PricePlan plan, Exception e) {
        log.warn("Reading price list {} failed: {}", plan.listId(), e.getMessage());
        plan.runs().keySet().forEach(runId -> runs.failed(runId, "Contabilium: " + e.getMessage()));
    }

    public void report(PricePlan plan, SyncStores.Summary summary) {
        if (summary != null && (summary.written() > 0 || summary.failedStores() > 0)) {
            log.info("Price list {}: {} store(s), {} failed, {} price(s) written", plan.listId(), summary.stores(),
                    summary.failedStores(), summary.written());
        }
    }
}
