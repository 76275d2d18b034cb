package ar.connector.sync;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import ar.connector.config.ConnectorProperties;
import ar.connector.jumpseller.StoreCredentials;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.webhooks.WebhookRegistrar;

/**
 * The one store's part of a sync run that stock and prices share (route {@code sync-store}): read the
 * store's catalogue, compare it with what Contabilium says ({@link SyncDiff}), write what differs
 * ({@link StoreWriter}, split over the {@code store-writes} thread pool) and record the run's report.
 * Stock and price differ only in the targets they hand in, and in the comparison rule.
 */
@Component("syncStores")
public class SyncStores {

    private static final Logger log = LoggerFactory.getLogger(SyncStores.class);

    /**
     * One store's run: the values the store should show, per upper-cased SKU.
     *
     * @param only for a stock sync after webhooks, the SKUs to look at; null for the whole catalogue
     */
    public record StoreSync(String runId, long linkId, SyncKind kind, Map<String, BigDecimal> targets, Set<String> only) {
    }

    /** The store's catalogue compared with the targets. */
    public record StoreDiff(String runId, StoreCredentials store, SyncKind kind, SyncDiff.Result diff) {
    }

    /** How one store's run ended (what the price and stock routes aggregate). */
    public record StoreOutcome(String runId, String store, boolean done, int changed, int written, int refused) {
    }

    private final LinkRepository links;
    private final SyncRuns runs;
    private final StoreCatalogue catalogue;
    private final ConnectorProperties.Sync settings;

    public SyncStores(LinkRepository links, SyncRuns runs, StoreCatalogue catalogue, ConnectorProperties properties) {
        this.links = links;
        this.runs = runs;
        this.catalogue = catalogue;
        this.settings = properties.sync();
    }

    public StoreDiff diff(StoreSync sync) {
        Link link = links.findById(sync.linkId()).filter(Link::isActive)
                .orElseThrow(() -> new IllegalStateException("The link is unlinked"));
        StoreCredentials store = WebhookRegistrar.credentials(link);
        if (sync.kind() == SyncKind.PRICE) {
            return new StoreDiff(sync.runId(), store, sync.kind(), SyncDiff.price(sync.targets(), catalogue.all(store)));
        }
        List<Listing> listings = sync.only() == null ? catalogue.all(store)
                : catalogue.forSkus(store, sync.only(), settings.stockInterval());
        return new StoreDiff(sync.runId(), store, sync.kind(), SyncDiff.stock(sync.targets(), listings, sync.only()));
    }

    /** The writes the diff asks for, one per changed item (the route splits them). */
    public List<StoreWriter.StoreWrite> writes(StoreDiff diff) {
        return diff.diff().changes().stream().map(c -> new StoreWriter.StoreWrite(diff.store(), diff.kind(), c)).toList();
    }

    /** Records the run's report once its writes are done. */
    public StoreOutcome finish(StoreDiff diff, Object written) {
        // With nothing to write the split has nothing to aggregate, and its body is not a tally.
        WriteTally tally = written instanceof WriteTally counted ? counted : WriteTally.NONE;
        SyncDiff.Result result = diff.diff();
        String refusals = tally.refused() == 0 ? null
                : tally.refused() + " write(s) refused by the store; first: " + tally.firstRefusal();
        runs.finished(diff.runId(), new SyncRuns.Report(result.itemsRead(), result.changes().size(), tally.written(),
                result.onlyInContabilium(), result.onlyInStore(), refusals, result.changes()));
        if (tally.written() > 0) {
            log.info("{} of store {}: {} of {} items written", diff.kind(), diff.store().storeCode(), tally.written(),
                    result.itemsRead());
        }
        return new StoreOutcome(diff.runId(), diff.store().storeCode(), true, result.changes().size(), tally.written(),
                tally.refused());
    }

    /** The store could not be read or written (unreachable, credentials refused): the run fails. */
    public StoreOutcome failed(StoreSync sync, Exception error) {
        String message = error == null ? "failed" : error.getMessage();
        log.warn("{} sync of link {} failed: {}", sync.kind(), sync.linkId(), message);
        runs.failed(sync.runId(), message);
        return new StoreOutcome(sync.runId(), String.valueOf(sync.linkId()), false, 0, 0, 0);
    }

    /** The writes of one store's run, added up as they complete (the split's aggregation: plain Java). */
    public record WriteTally(int written, int refused, String firstRefusal) {

        static final WriteTally NONE = new WriteTally(0, 0, null);

        public static WriteTally add(WriteTally sofar, StoreWriter.WriteResult one) {
            WriteTally base = sofar == null ? NONE : sofar;
            if (one.refusal() == null) {
                return new WriteTally(base.written() + 1, base.refused(), base.firstRefusal());
            }
            return new WriteTally(base.written(), base.refused() + 1,
                    base.firstRefusal() == null ? one.refusal() : base.firstRefusal());
        }
    }

    /** The stores' outcomes of one stock account or price list, added up (the split's aggregation). */
    public record Summary(int stores, int failedStores, int written) {

        public static Summary add(Summary sofar, StoreOutcome one) {
            Summary base = sofar == null ? new Summary(0, 0, 0) : sofar;
            return new Summary(base.stores() + 1, base.failedStores() + (one.done() ? 0 : 1), base.written() + one.written());
        }
    }
}
