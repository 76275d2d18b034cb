package ar.connector.sync;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import ar.connector.config.ConnectorProperties;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.jumpseller.StoreCredentials;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.webhooks.WebhookRegistrar;

/**
 * Unified stock (SPEC §1.4): every store shows the sellable stock of its link's warehouse, or the
 * per-SKU sum of all warehouses, less the units sold in any store on the same stock that no
 * Contabilium document holds yet. Runs of links sharing a Contabilium account read its warehouses
 * once between them.
 */
@Component
public class StockSync {

    private static final Logger log = LoggerFactory.getLogger(StockSync.class);

    private final LinkRepository links;
    private final SyncRuns runs;
    private final ContabiliumStock stock;
    private final StoreCatalogue catalogue;
    private final StoreWriter writer;
    private final OrderReservations reservations;
    private final ConnectorProperties.Sync settings;

    public StockSync(LinkRepository links, SyncRuns runs, ContabiliumStock stock, StoreCatalogue catalogue,
            StoreWriter writer, OrderReservations reservations, ConnectorProperties properties) {
        this.links = links;
        this.runs = runs;
        this.stock = stock;
        this.catalogue = catalogue;
        this.writer = writer;
        this.reservations = reservations;
        this.settings = properties.sync();
    }

    /** Does the given runs (one message of the stock-sync queue); runs already finished are skipped. */
    public void run(List<String> runIds) {
        Map<String, Map<String, Link>> byAccount = new LinkedHashMap<>();
        runs.pending(runIds).forEach((runId, linkId) -> {
            Link link = links.findById(linkId).filter(Link::isActive).orElse(null);
            if (link == null) {
                runs.failed(runId, "The link is unlinked");
            } else {
                byAccount.computeIfAbsent(account(link), k -> new LinkedHashMap<>()).put(runId, link);
            }
        });
        byAccount.values().forEach(this::runAccount);
    }

    /** A sync of just these SKUs (upper-cased) for every store on the account, after a webhook. */
    public void syncSkus(String accountKey, Set<String> skus) {
        Map<String, Link> work = new LinkedHashMap<>();
        for (Link link : links.findByUnlinkedAtIsNullOrderById()) {
            if (account(link).equals(accountKey)) {
                work.put(runs.create(link.getId(), SyncKind.STOCK, SyncRuns.Trigger.EVENT), link);
            }
        }
        if (work.isEmpty() || skus.isEmpty()) {
            work.keySet().forEach(runId -> runs.failed(runId, "nothing to sync"));
            return;
        }
        if (skus.size() > settings.eventSkuLimit()) {
            // Many SKUs at once: whole warehouses cost fewer calls than one call per SKU.
            runAccount(work);
            return;
        }
        work.keySet().forEach(runs::started);
        ContabiliumStock.Snapshot snapshot;
        try {
            snapshot = stock.skus(credentials(work.values()), skus);
        } catch (RuntimeException e) {
            failAll(work.keySet(), e);
            return;
        }
        work.forEach((runId, link) -> syncLink(runId, link, snapshot, skus));
    }

    private void runAccount(Map<String, Link> work) {
        work.keySet().forEach(runs::started);
        boolean all = work.values().stream().anyMatch(l -> l.getSettings().getDepositoId() == null);
        List<Long> depositos = work.values().stream().map(l -> l.getSettings().getDepositoId())
                .filter(Objects::nonNull).distinct().toList();
        ContabiliumStock.Snapshot snapshot;
        try {
            snapshot = stock.warehouses(credentials(work.values()), depositos, all);
        } catch (RuntimeException e) {
            failAll(work.keySet(), e);
            return;
        }
        work.forEach((runId, link) -> syncLink(runId, link, snapshot, null));
    }

    private void syncLink(String runId, Link link, ContabiliumStock.Snapshot snapshot, Set<String> only) {
        try {
            Map<String, BigDecimal> targets = targets(link, snapshot);
            StoreCredentials store = WebhookRegistrar.credentials(link);
            List<Listing> listings = only == null ? catalogue.all(store)
                    : catalogue.forSkus(store, only, settings.stockInterval());
            SyncDiff.Result diff = SyncDiff.stock(targets, listings, only);
            StoreWriter.Outcome outcome = writer.write(store, SyncKind.STOCK, diff.changes());
            runs.finished(runId, new SyncRuns.Report(diff.itemsRead(), diff.changes().size(), outcome.written(),
                    diff.onlyInContabilium(), diff.onlyInStore(), refusals(outcome), diff.changes()));
            if (outcome.written() > 0) {
                log.info("Stock of store {}: {} of {} items written", link.getJumpsellerStoreCode(), outcome.written(),
                        diff.itemsRead());
            }
        } catch (RuntimeException e) {
            log.warn("Stock sync of store {} failed: {}", link.getJumpsellerStoreCode(), e.getMessage());
            runs.failed(runId, e.getMessage());
        }
    }

    /** What the store should show: its view of the warehouses less the units sold and not yet in Contabilium. */
    Map<String, BigDecimal> targets(Link link, ContabiliumStock.Snapshot snapshot) {
        Map<String, BigDecimal> sold = reservations.unitsToSubtract(link);
        Map<String, BigDecimal> targets = new HashMap<>();
        snapshot.view(link.getSettings().getDepositoId()).forEach((sku, units) ->
                targets.put(sku, units.subtract(sold.getOrDefault(sku, BigDecimal.ZERO))));
        return targets;
    }

    static String refusals(StoreWriter.Outcome outcome) {
        return outcome.failed() == 0 ? null
                : outcome.failed() + " write(s) refused by the store; first: " + outcome.firstError();
    }

    private void failAll(Collection<String> runIds, RuntimeException e) {
        log.warn("Reading Contabilium stock failed: {}", e.getMessage());
        runIds.forEach(runId -> runs.failed(runId, "Contabilium: " + e.getMessage()));
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
