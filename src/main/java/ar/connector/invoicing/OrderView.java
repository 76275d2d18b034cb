package ar.connector.invoicing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An order row of the admin API (SPEC §3.2). {@code warning}: a note on an invoiced order for a person to judge
 * (the invoice's total differs from the order's).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderView(
        long orderId,
        OrderStatus status,
        String reason,
        String warning,
        String buyer,
        String email,
        BigDecimal total,
        Instant orderCreatedAt,
        Invoice invoice,
        Invoice creditNote,
        Receipt receipt,
        Instant updatedAt,
        List<Attempt> attempts) {

    public record Invoice(Long contabiliumId, String tipo, String numero, String cae, BigDecimal total, String pdfUrl,
            boolean attached, Instant issuedAt) {
    }

    /**
     * The e-mail of the invoice to the buyer: PENDING (queued, retrying or being handed to SMTP),
     * SENT, FAILED or SKIPPED (reason given); {@code count} = messages sent (resends included).
     */
    public record Receipt(String status, Instant sentAt, String to, String reason, int count) {
    }

    public record Attempt(Instant at, String source, String outcome, String detail) {
    }

    static OrderView of(OrderRecord r, List<OrderAttempt> attempts) {
        Invoice invoice = r.getInvoiceCae() == null ? null
                : new Invoice(r.getInvoiceId(), r.getInvoiceTipo(), r.getInvoiceNumero(), r.getInvoiceCae(),
                        r.getInvoiceTotal(), r.getInvoicePdfUrl(), r.isInvoiceAttached(), r.getInvoicedAt());
        Invoice creditNote = r.getCreditCae() == null ? null
                : new Invoice(r.getCreditId(), r.getCreditTipo(), r.getCreditNumero(), r.getCreditCae(),
                        r.getCreditTotal(), r.getCreditPdfUrl(), r.isCreditAttached(), r.getCreditedAt());
        // SENDING is the receipts flow's internal claim; to the merchant it is still waiting.
        String receiptStatus = "SENDING".equals(r.getReceiptStatus()) ? "PENDING" : r.getReceiptStatus();
        Receipt receipt = receiptStatus == null ? null
                : new Receipt(receiptStatus, r.getReceiptSentAt(), r.getReceiptTo(), r.getReceiptReason(),
                        r.getReceiptCount());
        return new OrderView(r.getOrderId(), r.getStatus(), r.getReason(), r.getWarning(), r.getBuyerName(),
                r.getBuyerEmail(), r.getOrderTotal(), r.getOrderCreatedAt(), invoice, creditNote, receipt, r.getUpdatedAt(),
                attempts == null ? null : attempts.stream()
                        .map(a -> new Attempt(a.getAt(), a.getSource(), a.getOutcome(), a.getDetail())).toList());
    }
}
