package ar.connector.invoicing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import ar.connector.api.ApiCallException;
import ar.connector.config.ConnectorProperties;
import ar.connector.jumpseller.JsModel;
import ar.connector.jumpseller.JumpsellerClient;
import ar.connector.jumpseller.StoreCredentials;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.webhooks.WebhookRegistrar;

/**
 * The catch-up poll (SPEC §3.1 {@code connector.polling.*}): for every link, reads the orders
 * created after the newest one seen, and re-reads the paid orders of the look-back window, because
 * Jumpseller's webhooks can be lost and its orders have no "changed since" filter. What it finds
 * goes on the same queue as webhooks ({@code order-polling} splits it to {@code direct:order-enqueue});
 * the invoicing flow drops what is already done.
 */
@Component
public class OrderPoller {

    private static final Logger log = LoggerFactory.getLogger(OrderPoller.class);
    private final LinkRepository links;
    private final OrderRecordRepository records;
    private final JumpsellerClient jumpseller;
    private final ConnectorProperties.Polling polling;
    private final ObjectMapper mapper;
    private final Tx tx;

    public OrderPoller(LinkRepository links, OrderRecordRepository records, JumpsellerClient jumpseller,
            ConnectorProperties properties, ObjectMapper mapper, Tx tx) {
        this.links = links;
        this.records = records;
        this.jumpseller = jumpseller;
        this.polling = properties.polling();
        this.mapper = mapper;
        this.tx = tx;
    }

    /** Polls one link (the route's step for every link); answers the order messages to enqueue. */
    public List<OrderMessage> poll(long linkId) {
        Link link = links.findById(linkId).filter(Link::isActive).orElse(null);
        if (link == null) {
            return List.of();
        }
        List<OrderMessage> found = new ArrayList<>();
        try {
            poll(link, found);
        } catch (ApiCallException e) {
            // One store's outage must not stop the others; the next period tries again, and what was
            // found before the outage is still enqueued.
            log.warn("Polling store {} failed: {}", link.getJumpsellerStoreCode(), e.getMessage());
        }
        return found;
    }

    private void poll(Link link, List<OrderMessage> found) {
        StoreCredentials store = WebhookRegistrar.credentials(link);
        long after = Math.max(link.getLastSeenOrderId() == null ? 0 : link.getLastSeenOrderId(),
                link.getStartAfterOrderId() == null ? 0 : link.getStartAfterOrderId());
        long newest = after;
        for (int page = 1; ; page++) {
            List<JsModel.Order> orders = jumpseller.ordersAfter(store, after, page);
            for (JsModel.Order order : orders) {
                newest = Math.max(newest, order.id());
                if (order.isPaid() || order.isCanceled()) {
                    found.add(message(link, order));
                }
            }
            if (orders.size() < JumpsellerClient.PAGE_SIZE) {
                break;
            }
        }
        if (newest > after) {
            long seen = newest;
            tx.run(() -> links.findById(link.getId()).ifPresent(l -> {
                if (l.getLastSeenOrderId() == null || l.getLastSeenOrderId() < seen) {
                    l.setLastSeenOrderId(seen);
                }
            }));
        }
        // Paid orders the log does not show as done (a missed webhook), and canceled orders whose invoice
        // still stands or is half way (a missed cancellation).
        reread(link, store, after, found, "paid", record -> record == null
                || record.getStatus() == OrderStatus.PENDING
                || record.getPhase() == InvoicePhase.CREATING || record.getPhase() == InvoicePhase.EMITTING
                || record.getStatus() == OrderStatus.INVOICED && !record.isInvoiceAttached());
        reread(link, store, after, found, "canceled", record -> record != null
                && (record.getStatus() == OrderStatus.INVOICED || record.getStatus() == OrderStatus.PENDING
                        || record.getPhase() != InvoicePhase.NONE && record.getStatus() != OrderStatus.CREDITED));
    }

    /** Orders of one status within the look-back window that the log says still need work. */
    private void reread(Link link, StoreCredentials store, long alreadyEnqueuedAbove, List<OrderMessage> found,
            String status, java.util.function.Predicate<OrderRecord> needsWork) {
        Instant horizon = Instant.now().minus(polling.lookback());
        long startAfter = link.getStartAfterOrderId() == null ? 0 : link.getStartAfterOrderId();
        for (int page = 1; ; page++) {
            List<JsModel.Order> orders = jumpseller.ordersByStatus(store, status, page);
            boolean anyRecent = false;
            for (JsModel.Order order : orders) {
                boolean recent = order.createdAtTime().map(t -> t.toInstant().isAfter(horizon)).orElse(true);
                anyRecent |= recent;
                if (!recent || order.id() <= startAfter || order.id() > alreadyEnqueuedAbove) {
                    continue;
                }
                if (needsWork.test(records.findByLinkIdAndOrderId(link.getId(), order.id()).orElse(null))) {
                    found.add(message(link, order));
                }
            }
            // Newest first: a page with nothing inside the window ends the look-back.
            if (orders.size() < JumpsellerClient.PAGE_SIZE || !anyRecent) {
                return;
            }
        }
    }

    private OrderMessage message(Link link, JsModel.Order order) {
        return new OrderMessage(link.getId(), order.id(), OrderMessage.POLL, false, null, mapper.valueToTree(order));
    }
}
