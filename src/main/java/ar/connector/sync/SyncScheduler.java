package ar.connector.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

import ar.connector.config.ConnectorProperties;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.scheduling.ScheduleLease;
import ar.connector.web.ApiException;

/**
 * Starts sync runs: on the schedules (once per cluster, through {@link ScheduleLease}) and on
 * demand. A run is a row in sync_run plus a message naming it on the stock-sync or price-sync
 * queue; the scheduled message of an account (or price list) names the runs of all its stores,
 * so Contabilium is read once for them.
 */
@Component
public class SyncScheduler {

    public static final String STOCK_QUEUE = "connector.stock-sync";
    public static final String PRICE_QUEUE = "connector.price-sync";

    private final LinkRepository links;
    private final SyncRuns runs;
    private final JmsTemplate jms;
    private final ScheduleLease lease;
    private final ConnectorProperties.Sync settings;

    public SyncScheduler(LinkRepository links, SyncRuns runs, JmsTemplate jms, ScheduleLease lease,
            ConnectorProperties properties) {
        this.links = links;
        this.runs = runs;
        this.jms = jms;
        this.lease = lease;
        this.settings = properties.sync();
    }

    /** The stock schedule fired: one message per Contabilium account. Answers the runs started. */
    public int scheduleStock() {
        if (!lease.claim("stock-sync", settings.stockInterval())) {
            return 0;
        }
        return enqueueGrouped(SyncKind.STOCK, links.findByUnlinkedAtIsNullOrderById(), StockSync::account);
    }

    /** The price schedule fired: one message per price list in use. */
    public int schedulePrice() {
        if (!lease.claim("price-sync", settings.priceInterval())) {
            return 0;
        }
        List<Link> priced = links.findByUnlinkedAtIsNullOrderById().stream()
                .filter(l -> l.getSettings().getListaDePreciosId() != null).toList();
        return enqueueGrouped(SyncKind.PRICE, priced,
                l -> StockSync.account(l) + "|" + l.getSettings().getListaDePreciosId());
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
        send(kind, List.of(runId));
        return runId;
    }

    private int enqueueGrouped(SyncKind kind, List<Link> active, java.util.function.Function<Link, String> group) {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (Link link : active) {
            grouped.computeIfAbsent(group.apply(link), k -> new ArrayList<>())
                    .add(runs.create(link.getId(), kind, SyncRuns.Trigger.SCHEDULE));
        }
        grouped.values().forEach(ids -> send(kind, ids));
        return grouped.values().stream().mapToInt(List::size).sum();
    }

    private void send(SyncKind kind, List<String> runIds) {
        jms.convertAndSend(kind == SyncKind.STOCK ? STOCK_QUEUE : PRICE_QUEUE, String.join(",", runIds));
    }
}
