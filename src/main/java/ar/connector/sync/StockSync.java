package ar.connector.sync;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import ar.connector.config.ConnectorProperties;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.links.ActiveLinks;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;

/**
 * Unified stock (SPEC §1.4): every store shows the sellable stock of its link's warehouse, or the
 * per-SKU sum of all warehouses, less the units sold in any store on the same stock that no
 * Contabilium document holds yet. The {@code stock-sync} route plans a queued message per
 * Contabilium account ({@link #plan}), splits the account's reads ({@link #reads}), sums them, and
 * hands each store its targets ({@link #stores}) to the shared {@code sync-store} route: stores on one
 * account read its warehouses once between them.
 */
@Component("stockSync")
public class StockSync {

    private static final Logger log = LoggerFactory.getLogger(StockSync.class);

    /**
     * The runs of one Contabilium account and what to read for them.
     *
     * @param runs runId -> link id
     * @param skus just these SKUs (a sync after webhooks), or null for whole warehouses
     */
    public record StockPlan(ContabiliumAccount account, Map<String, Long> runs, List<Long> warehouses,
            boolean allWarehouses, Set<String> skus) {
    }

    private final LinkRepository links;
    private final ActiveLinks activeLinks;
    private final SyncRuns runs;
    private final ContabiliumStock stock;
    private final OrderReservations reservations;
    private final ConnectorProperties.Sync settings;

    public StockSync(LinkRepository links, ActiveLinks activeLinks, SyncRuns runs, ContabiliumStock stock,
            OrderReservations reservations, ConnectorProperties properties) {
        this.links = links;
        this.activeLinks = activeLinks;
        this.runs = runs;
        this.stock = stock;
        this.reservations = reservations;
        this.settings = properties.sync();
    }

    /** The runs still to do of one queued message, per Contabilium account, marked RUNNING. */
    public List<StockPlan> plan(SyncRequest request) {
        Map<String, Map<String, Link>> byAccount = new LinkedHashMap<>();
        runs.start(request.runIds()).forEach((runId, link) ->
                byAccount.computeIfAbsent(account(link), k -> new LinkedHashMap<>()).put(runId, link));
        // Many SKUs at once: whole warehouses cost fewer calls than one call per SKU.
        Set<String> skus = request.skus() == null || request.skus().size() > settings.eventSkuLimit() ? null
                : request.skus();
        List<StockPlan> plans = new ArrayList<>();
        byAccount.values().forEach(work -> {
            Map<String, Long> runIds = new LinkedHashMap<>();
            work.forEach((runId, link) -> runIds.put(runId, link.getId()));
            plans.add(new StockPlan(credentials(work.values()), runIds,
                    work.values().stream().map(l -> l.getSettings().getDepositoId()).filter(Objects::nonNull).distinct()
                            .toList(),
                    work.values().stream().anyMatch(l -> l.getSettings().getDepositoId() == null), skus));
        });
        return plans;
    }

    /** What to read for one account: each SKU named by webhooks, or each warehouse its stores show. */
    public List<ContabiliumStock.StockRead> reads(StockPlan plan) {
        if (plan.skus() != null) {
            return plan.skus().stream().map(sku -> new ContabiliumStock.StockRead(plan.account(), null, sku)).toList();
        }
        Set<Long> warehouses = new LinkedHashSet<>(plan.warehouses());
        if (plan.allWarehouses()) {
            warehouses.addAll(stock.warehouses(plan.account()));
        }
        return warehouses.stream().map(id -> new ContabiliumStock.StockRead(plan.account(), id, null)).toList();
    }

    /** Each store's targets from the account's summed reads (null when there was nothing to read). */
    public List<SyncStores.StoreSync> stores(StockPlan plan, Object totals) {
        ContabiliumStock.Snapshot snapshot = totals instanceof ContabiliumStock.Snapshot read ? read
                : new ContabiliumStock.Snapshot(Map.of(), 0);
        List<SyncStores.StoreSync> stores = new ArrayList<>();
        plan.runs().forEach((runId, linkId) -> links.findById(linkId).ifPresent(link -> stores.add(
                new SyncStores.StoreSync(runId, linkId, SyncKind.STOCK, targets(link, snapshot), plan.skus()))));
        return stores;
    }

    /** Contabilium could not be read: every run of the account fails, and the next one starts over. */
    public void readFailed(StockPlan plan, Exception e) {
        log.warn("Reading Contabilium stock failed: {}", e.getMessage());
        plan.runs().keySet().forEach(runId -> runs.failed(runId, "Contabilium: " + e.getMessage()));
    }

    /**
     * Webhooks named these SKUs of one account: a run for every store on the account, to queue (null
     * when no store is on it any more).
     */
    public SyncRequest eventRequest(StockEvents.SkuBatch batch) {
        List<String> runIds = new ArrayList<>();
        for (Link link : activeLinks.all()) {
            if (account(link).equals(batch.account())) {
                runIds.add(runs.create(link.getId(), SyncKind.STOCK, SyncRuns.Trigger.EVENT));
            }
        }
        return runIds.isEmpty() ? null : new SyncRequest(runIds, batch.skus());
    }

    /** What the store should show: its view of the warehouses less the units sold and not yet in Contabilium. */
    Map<String, BigDecimal> targets(Link link, ContabiliumStock.Snapshot snapshot) {
        Map<String, BigDecimal> sold = reservations.unitsToSubtract(link);
        Map<String, BigDecimal> targets = new HashMap<>();
        snapshot.view(link.getSettings().getDepositoId()).forEach((sku, units) ->
                targets.put(sku, units.subtract(sold.getOrDefault(sku, BigDecimal.ZERO))));
        return targets;
    }

    static String account(Link link) {
        return link.getContabiliumClientId().toLowerCase(java.util.Locale.ROOT);
    }

    /** The account's credentials as the most recently updated of its links holds them. */
    static ContabiliumAccount credentials(Collection<Link> sharing) {
        List<Link> sorted = new ArrayList<>(sharing);
        sorted.sort((a, b) -> b.getUpdatedAt().compareTo(a.getUpdatedAt()));
        Link link = sorted.get(0);
        return new ContabiliumAccount(link.getContabiliumClientId(), link.getContabiliumClientSecret());
    }
}
