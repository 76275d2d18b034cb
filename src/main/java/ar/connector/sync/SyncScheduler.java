package ar.connector.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.stereotype.Component;

import ar.connector.config.Hops;
import ar.connector.links.ActiveLinks;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.web.ApiException;

/**
 * Starts sync runs: on the schedules (the {@code stock-sync-timer} and {@code price-sync-timer} routes,
 * once per cluster) and on demand. A run is a row in sync_run plus a {@link SyncRequest} naming it on
 * the stock-sync or price-sync queue; the scheduled request of an account (or price list) names the
 * runs of all its stores, so Contabilium is read once for them.
 */
@Component("syncScheduler")
public class SyncScheduler {

    public static final String STOCK_QUEUE = "connector.stock-sync";
    public static final String PRICE_QUEUE = "connector.price-sync";
    public static final String STOCK_ENQUEUE = "direct:stock-sync-enqueue";
    public static final String PRICE_ENQUEUE = "direct:price-sync-enqueue";

    private final LinkRepository links;
    private final ActiveLinks activeLinks;
    private final SyncRuns runs;
    private final Hops hops;

    public SyncScheduler(LinkRepository links, ActiveLinks activeLinks, SyncRuns runs, Hops hops) {
        this.links = links;
        this.activeLinks = activeLinks;
        this.runs = runs;
        this.hops = hops;
    }

    /** The stock schedule fired: one request per Contabilium account, its runs created. */
    public List<SyncRequest> scheduledStock() {
        return grouped(SyncKind.STOCK, activeLinks.all(), StockSync::account);
    }

    /** The price schedule fired: one request per price list in use. */
    public List<SyncRequest> scheduledPrice() {
        List<Link> priced = activeLinks.all().stream().filter(l -> l.getSettings().getListaDePreciosId() != null).toList();
        return grouped(SyncKind.PRICE, priced, l -> StockSync.account(l) + "|" + l.getSettings().getListaDePreciosId());
    }

    /** A sync now for one link (admin API); answers the run id. */
    public String request(long linkId, SyncKind kind) {
        Link link = links.findById(linkId).filter(Link::isActive)
                .orElseThrow(() -> ApiException.notFound("No active link with id " + linkId));
        if (kind == SyncKind.PRICE && link.getSettings().getListaDePreciosId() == null) {
            throw ApiException.conflict("Link " + linkId + " has no price list (settings.listaDePreciosId): "
                    + "there is nothing to synchronise");
        }
        String runId = runs.create(linkId, kind, SyncRuns.Trigger.MANUAL);
        hops.send(kind == SyncKind.STOCK ? STOCK_ENQUEUE : PRICE_ENQUEUE, new SyncRequest(List.of(runId), null));
        return runId;
    }

    private List<SyncRequest> grouped(SyncKind kind, List<Link> active, Function<Link, String> group) {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (Link link : active) {
            grouped.computeIfAbsent(group.apply(link), k -> new ArrayList<>())
                    .add(runs.create(link.getId(), kind, SyncRuns.Trigger.SCHEDULE));
        }
        return grouped.values().stream().map(ids -> new SyncRequest(ids, null)).toList();
    }
}
