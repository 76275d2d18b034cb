package ar.connector.sync;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import ar.connector.config.Hops;
import ar.connector.jumpseller.JsModel;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;

/**
 * Near-real-time stock: webhooks that move stock (a paid or canceled order, a stock change in the
 * store) become events on {@code connector.stock-events}; the {@code stock-sync-skus} route turns
 * each into the SKUs it touches, gathers them per Contabilium account for a short window, and
 * queues a sync of just those SKUs in every store on that account ({@link StockSync#eventRequest}). A product webhook that shows exactly what
 * we wrote is our own write coming back and is dropped, so writes do not feed on themselves.
 */
@Component("stockEvents")
public class StockEvents implements AggregationStrategy {

    private static final Logger log = LoggerFactory.getLogger(StockEvents.class);
    public static final String QUEUE = "connector.stock-events";
    public static final String ACCOUNT_HEADER = "connectorAccount";

    public static final String ENQUEUE = "direct:stock-event-enqueue";

    private final Hops hops;
    private final LinkRepository links;
    private final OrderReservations reservations;
    private final StoreWriter writer;
    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** The SKUs (upper-cased) to sync for one Contabilium account. */
    public record SkuBatch(String account, Set<String> skus) {
    }

    public StockEvents(Hops hops, LinkRepository links, OrderReservations reservations,
            StoreWriter writer) {
        this.hops = hops;
        this.links = links;
        this.reservations = reservations;
        this.writer = writer;
    }

    /** Whether the connector acts on this webhook event for stock. */
    public static boolean movesStock(String event) {
        return event.startsWith("order_") || "product_stock_updated".equals(event) || "product_updated".equals(event);
    }

    /** Puts a checked webhook on the durable stock-events queue (the webhook receiver calls this). */
    public void enqueue(Link link, String event, JsonNode payload) {
        enqueue(link.getId(), StockSync.account(link), event, payload);
    }

    /** The same, for a link known by its id and Contabilium account (lower-cased client id). */
    public void enqueue(long linkId, String account, String event, JsonNode payload) {
        hops.send(ENQUEUE, new StockEvent(linkId, event, payload), Map.of(ACCOUNT_HEADER, account));
    }

    /**
     * Reads one event: records a paid order's units (or forgets a canceled one's) and answers the
     * SKUs to sync, or null when the event moves no stock we do not already know about.
     */
    public SkuBatch accept(StockEvent event) {
        Link link = links.findById(event.linkId()).filter(Link::isActive).orElse(null);
        if (link == null || event.payload() == null) {
            return null;
        }
        JsonNode payload = event.payload();
        Set<String> skus = new LinkedHashSet<>();
        try {
            if (payload.has("order")) {
                JsModel.Order order = json.treeToValue(payload.get("order"), JsModel.Order.class);
                if (!order.isPaid() && !order.isCanceled()
                        || link.getStartAfterOrderId() != null && order.id() <= link.getStartAfterOrderId()) {
                    return null;
                }
                reservations.record(link.getId(), order);
                order.lines().stream().filter(l -> l.sku() != null && !l.sku().isBlank())
                        .forEach(l -> skus.add(Listing.key(l.sku())));
            } else if (payload.has("product")) {
                JsModel.Product product = json.treeToValue(payload.get("product"), JsModel.Product.class);
                for (Listing listing : Listing.of(product)) {
                    if (listing.hasSku() && !writer.isEcho(link.getJumpsellerStoreCode(), listing)) {
                        skus.add(listing.key());
                    }
                }
            }
        } catch (JsonProcessingException e) {
            log.warn("Dropping a stock event of store {} that cannot be read: {}", link.getJumpsellerStoreCode(),
                    e.getOriginalMessage());
            return null;
        }
        return skus.isEmpty() ? null : new SkuBatch(StockSync.account(link), skus);
    }

    /** Gathers the SKUs of events of one account arriving within the window. */
    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        if (oldExchange == null) {
            return newExchange;
        }
        SkuBatch held = oldExchange.getIn().getBody(SkuBatch.class);
        SkuBatch more = newExchange.getIn().getBody(SkuBatch.class);
        Set<String> skus = new LinkedHashSet<>(held.skus());
        skus.addAll(more.skus());
        oldExchange.getIn().setBody(new SkuBatch(held.account(), skus));
        return oldExchange;
    }

}
