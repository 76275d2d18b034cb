package ar.connector.invoicing;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import ar.connector.jumpseller.JsModel;
import ar.connector.jumpseller.JumpsellerClient;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.receipts.ReceiptMailing;
import ar.connector.web.ApiException;
import ar.connector.webhooks.WebhookRegistrar;

/** The order actions of the admin API: read the log, invoice now or retry, skip, resend the receipt. */
@Component
public class OrderActions {

    /** How long skipping an order waits for its account's invoice under way to finish. */
    private static final java.time.Duration SKIP_WAIT = java.time.Duration.ofSeconds(30);

    private final LinkRepository links;
    private final OrderRecordRepository records;
    private final OrderAttemptRepository attempts;
    private final JumpsellerClient jumpseller;
    private final OrderQueue queue;
    private final AccountLease lease;
    private final Tx tx;
    private final ObjectMapper mapper;
    private final ReceiptMailing receipts;

    public OrderActions(LinkRepository links, OrderRecordRepository records, OrderAttemptRepository attempts,
            JumpsellerClient jumpseller, OrderQueue queue, AccountLease lease, Tx tx, ObjectMapper mapper,
            ReceiptMailing receipts) {
        this.links = links;
        this.records = records;
        this.attempts = attempts;
        this.jumpseller = jumpseller;
        this.queue = queue;
        this.lease = lease;
        this.tx = tx;
        this.mapper = mapper;
        this.receipts = receipts;
    }

    public Page<OrderView> list(long linkId, OrderStatus status, Pageable page) {
        link(linkId);
        checkReachable(page);
        Page<OrderRecord> found = status == null
                ? records.findByLinkIdOrderByOrderIdDesc(linkId, page)
                : records.findByLinkIdAndStatusOrderByOrderIdDesc(linkId, status, page);
        return found.map(r -> OrderView.of(r, null));
    }

    /** The log searched by order number or buyer (name or e-mail), optionally in one state, newest first. */
    public Page<OrderView> search(long linkId, OrderStatus status, String query, Pageable page) {
        link(linkId);
        checkReachable(page);
        String text = query == null || query.isBlank() ? null : query.trim().toLowerCase(java.util.Locale.ROOT);
        Long number = null;
        if (text != null) {
            String digits = text.startsWith("#") ? text.substring(1) : text;
            if (digits.matches("\\d{1,18}")) {
                number = Long.valueOf(digits);
            }
        }
        return records.search(linkId, status, text, number == null ? -1L : number, page)
                .map(r -> OrderView.of(r, null));
    }

    /**
     * A page whose first row lies beyond what a query can skip (page × size above 2^31 - 1) is a bad
     * request, not a server error: no log holds that many rows.
     */
    static void checkReachable(Pageable page) {
        if (page.getOffset() > Integer.MAX_VALUE) {
            throw ApiException.invalid(java.util.List.of(new ar.connector.web.FieldError("page",
                    "out of range: page × size must not exceed " + Integer.MAX_VALUE)));
        }
    }

    public long count(long linkId, OrderStatus status) {
        return records.countByLinkIdAndStatus(linkId, status);
    }

    public OrderView get(long linkId, long orderId) {
        link(linkId);
        OrderRecord record = records.findByLinkIdAndOrderId(linkId, orderId)
                .orElseThrow(() -> ApiException.notFound("Order " + orderId + " is not in the log of link " + linkId));
        return OrderView.of(record, attempts.findByOrderRecordIdOrderByIdAsc(record.getId()));
    }

    /** Reads the order (404 when Jumpseller does not have it), records it and queues it, forced. */
    public OrderView invoiceNow(long linkId, long orderId) {
        Link link = link(linkId);
        JsModel.Order order = jumpseller.order(WebhookRegistrar.credentials(link), orderId)
                .orElseThrow(() -> ApiException.notFound("Jumpseller has no order " + orderId + " in store "
                        + link.getJumpsellerStoreCode()));
        OrderRecord record;
        try {
            record = tx.call(() -> records.findByLinkIdAndOrderId(linkId, orderId)
                    .orElseGet(() -> records.saveAndFlush(new OrderRecord(linkId, orderId))));
        } catch (org.springframework.dao.DataIntegrityViolationException raced) {
            record = records.findByLinkIdAndOrderId(linkId, orderId).orElseThrow();
        }
        queue.send(new OrderMessage(linkId, orderId, OrderMessage.MANUAL, true, null, mapper.valueToTree(order)));
        return OrderView.of(record, null);
    }

    /** Issues the credit note of an invoiced order now (when automatic credit notes are off, or for a refund). */
    public OrderView creditNote(long linkId, long orderId) {
        Link link = link(linkId);
        OrderRecord record = records.findByLinkIdAndOrderId(linkId, orderId)
                .orElseThrow(() -> ApiException.notFound("Order " + orderId + " is not in the log of link " + linkId));
        if (record.getInvoiceCae() == null) {
            throw ApiException.conflict("Order " + orderId + " has no issued invoice to credit");
        }
        JsModel.Order order = jumpseller.order(WebhookRegistrar.credentials(link), orderId).orElse(null);
        queue.send(new OrderMessage(linkId, orderId, OrderMessage.CREDIT_NOTE, true, null,
                order == null ? null : mapper.valueToTree(order)));
        return OrderView.of(record, null);
    }

    /** Marks the order as not to be invoiced here; refused once an invoice is issued or under way. */
    public OrderView skip(long linkId, long orderId) {
        Link link = link(linkId);
        try {
            return lease.withLease(link.getContabiliumClientId(), SKIP_WAIT, () -> skipNow(linkId, orderId));
        } catch (AccountLease.BusyException e) {
            throw ApiException.conflict("The Contabilium account of link " + linkId
                    + " is invoicing an order right now: try again in a moment");
        }
    }

    private OrderView skipNow(long linkId, long orderId) {
        return tx.call(() -> {
            OrderRecord record = records.findByLinkIdAndOrderId(linkId, orderId)
                    .orElseGet(() -> new OrderRecord(linkId, orderId));
            if (record.getStatus() == OrderStatus.INVOICED || record.getStatus() == OrderStatus.CREDITED
                    || record.getPhase() != InvoicePhase.NONE) {
                throw ApiException.conflict("Order " + orderId + " is " + record.getStatus()
                        + (record.getPhase() != InvoicePhase.NONE ? " with an invoice under way" : "")
                        + ": it cannot be skipped");
            }
            record.setStatus(OrderStatus.SKIPPED, "Omitido a mano: no se factura en este vínculo");
            OrderRecord saved = records.save(record);
            attempts.save(new OrderAttempt(saved.getId(), OrderMessage.MANUAL, "SKIPPED", "skipped by hand"));
            return OrderView.of(saved, null);
        });
    }

    /** Queues one more receipt e-mail of the order's invoice to the buyer (sent even when emailReceipts is off). */
    public OrderView resendReceipt(long linkId, long orderId) {
        link(linkId);
        OrderRecord record = records.findByLinkIdAndOrderId(linkId, orderId)
                .orElseThrow(() -> ApiException.notFound("Order " + orderId + " is not in the log of link " + linkId));
        if (record.getInvoiceCae() == null) {
            throw ApiException.conflict("Order " + orderId + " is " + record.getStatus() + ": it has no invoice to send");
        }
        if (!receipts.resend(record.getId())) {
            throw ApiException.conflict("The receipt of order " + orderId + " is being sent right now");
        }
        tx.run(() -> attempts.save(new OrderAttempt(record.getId(), OrderMessage.MANUAL, "RECEIPT_QUEUED",
                "receipt resend asked for")));
        return OrderView.of(records.findById(record.getId()).orElseThrow(), null);
    }

    private Link link(long linkId) {
        return links.findById(linkId).filter(Link::isActive)
                .orElseThrow(() -> ApiException.notFound("No active link with id " + linkId));
    }
}
