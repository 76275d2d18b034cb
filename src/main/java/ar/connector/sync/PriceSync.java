package ar.connector.sync;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import ar.connector.contabilium.ContabiliumClient;
import ar.connector.jumpseller.StoreCredentials;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.webhooks.WebhookRegistrar;

/**
 * Price lists (SPEC §1.5): a Contabilium price list feeds every store linked to it. A run reads
 * each list once for all its stores, and writes a product's or variant's price only where it is
 * not the list's {@code PrecioFinal} (IVA included) already.
 */
@Component
public class PriceSync {

    private static final Logger log = LoggerFactory.getLogger(PriceSync.class);

    private final LinkRepository links;
    private final SyncRuns runs;
    private final ContabiliumClient contabilium;
    private final StoreCatalogue catalogue;
    private final StoreWriter writer;

    public PriceSync(LinkRepository links, SyncRuns runs, ContabiliumClient contabilium, StoreCatalogue catalogue,
            StoreWriter writer) {
        this.links = links;
        this.runs = runs;
        this.contabilium = contabilium;
        this.catalogue = catalogue;
        this.writer = writer;
    }

    public void run(List<String> runIds) {
        Map<String, Map<String, Link>> byList = new LinkedHashMap<>();
        runs.pending(runIds).forEach((runId, linkId) -> {
            Link link = links.findById(linkId).filter(Link::isActive).orElse(null);
            if (link == null) {
                runs.failed(runId, "The link is unlinked");
            } else if (link.getSettings().getListaDePreciosId() == null) {
                runs.failed(runId, "The link has no price list (settings.listaDePreciosId)");
            } else {
                byList.computeIfAbsent(StockSync.account(link) + "|" + link.getSettings().getListaDePreciosId(),
                        k -> new LinkedHashMap<>()).put(runId, link);
            }
        });
        byList.values().forEach(this::runList);
    }

    private void runList(Map<String, Link> work) {
        work.keySet().forEach(runs::started);
        long listId = work.values().iterator().next().getSettings().getListaDePreciosId();
        Map<String, BigDecimal> prices = new HashMap<>();
        try {
            contabilium.forEachPriceListItem(StockSync.credentials(work.values()), listId, item -> {
                if (item.codigo() != null && !item.codigo().isBlank() && item.precioFinal() != null) {
                    prices.put(Listing.key(item.codigo()), item.precioFinal());
                }
            });
        } catch (RuntimeException e) {
            log.warn("Reading price list {} failed: {}", listId, e.getMessage());
            work.keySet().forEach(runId -> runs.failed(runId, "Contabilium: " + e.getMessage()));
            return;
        }
        work.forEach((runId, link) -> {
            try {
                StoreCredentials store = WebhookRegistrar.credentials(link);
                SyncDiff.Result diff = SyncDiff.price(prices, catalogue.all(store));
                StoreWriter.Outcome outcome = writer.write(store, SyncKind.PRICE, diff.changes());
                runs.finished(runId, new SyncRuns.Report(diff.itemsRead(), diff.changes().size(), outcome.written(),
                        diff.onlyInContabilium(), diff.onlyInStore(), StockSync.refusals(outcome), diff.changes()));
            } catch (RuntimeException e) {
                log.warn("Price sync of store {} failed: {}", link.getJumpsellerStoreCode(), e.getMessage());
                runs.failed(runId, e.getMessage());
            }
        });
    }
}
