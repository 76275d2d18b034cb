package ar.connector.invoicing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** One Jumpseller order as this connector knows it: its state, its reason, its invoice. */
@Entity
@Table(name = "order_record")
public class OrderRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private long linkId;
    private long orderId;
    @Enumerated(EnumType.STRING)
    private OrderStatus status;
    private String reason;
    @Enumerated(EnumType.STRING)
    private InvoicePhase phase;
    private String buyerName;
    private String buyerEmail;
    private BigDecimal orderTotal;
    private Instant orderCreatedAt;
    private LocalDate fechaEmision;
    private Long draftId;
    private Long invoiceId;
    private String invoiceTipo;
    private String invoiceNumero;
    private String invoiceCae;
    private BigDecimal invoiceTotal;
    private String invoicePdfUrl;
    private boolean invoiceAttached;
    private boolean invoiceAttachSent;
    private Instant invoicedAt;
    private BigDecimal expectedTotal;
    private String warning;
    private Instant canceledAt;
    private Instant paidSeenAt;
    private Long customerId;
    @Enumerated(EnumType.STRING)
    private InvoicePhase creditPhase;
    private LocalDate creditFechaEmision;
    private Long creditDraftId;
    private Long creditId;
    private String creditTipo;
    private String creditNumero;
    private String creditCae;
    private BigDecimal creditTotal;
    private String creditPdfUrl;
    private boolean creditAttached;
    private boolean creditAttachSent;
    private Instant creditedAt;
    private String runId;
    private int attempts;
    private Instant createdAt;
    private Instant updatedAt;
    // The receipt columns belong to the receipts flow, which writes them with plain SQL: read-only
    // here, so saving this entity never overwrites them with a stale copy.
    @Column(insertable = false, updatable = false)
    private String receiptStatus;
    @Column(insertable = false, updatable = false)
    private Instant receiptSentAt;
    @Column(insertable = false, updatable = false)
    private String receiptTo;
    @Column(insertable = false, updatable = false)
    private String receiptReason;
    @Column(insertable = false, updatable = false)
    private Integer receiptCount;
    @Column(insertable = false, updatable = false)
    private Boolean receiptCreditQueued;
    @Version
    private long version;

    protected OrderRecord() {
    }

    public OrderRecord(long linkId, long orderId) {
        this.linkId = linkId;
        this.orderId = orderId;
        this.status = OrderStatus.PENDING;
        this.phase = InvoicePhase.NONE;
        this.creditPhase = InvoicePhase.NONE;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    public void setStatus(OrderStatus status, String reason) {
        this.status = status;
        this.reason = reason;
        touch();
    }

    public void touch() {
        this.updatedAt = Instant.now();
    }

    public Long getId() { return id; }
    public long getLinkId() { return linkId; }
    public long getOrderId() { return orderId; }
    public OrderStatus getStatus() { return status; }
    public String getReason() { return reason; }
    public InvoicePhase getPhase() { return phase; }
    public void setPhase(InvoicePhase phase) { this.phase = phase; touch(); }
    public String getBuyerName() { return buyerName; }
    public void setBuyerName(String buyerName) { this.buyerName = buyerName; }
    public String getBuyerEmail() { return buyerEmail; }
    public void setBuyerEmail(String buyerEmail) { this.buyerEmail = buyerEmail; }
    public BigDecimal getOrderTotal() { return orderTotal; }
    public void setOrderTotal(BigDecimal orderTotal) { this.orderTotal = orderTotal; }
    public Instant getOrderCreatedAt() { return orderCreatedAt; }
    public void setOrderCreatedAt(Instant orderCreatedAt) { this.orderCreatedAt = orderCreatedAt; }
    public LocalDate getFechaEmision() { return fechaEmision; }
    public void setFechaEmision(LocalDate fechaEmision) { this.fechaEmision = fechaEmision; }
    public Long getDraftId() { return draftId; }
    public void setDraftId(Long draftId) { this.draftId = draftId; }
    public Long getInvoiceId() { return invoiceId; }
    public String getInvoiceTipo() { return invoiceTipo; }
    public void setInvoiceTipo(String invoiceTipo) { this.invoiceTipo = invoiceTipo; }
    public String getInvoiceNumero() { return invoiceNumero; }
    public String getInvoiceCae() { return invoiceCae; }
    public BigDecimal getInvoiceTotal() { return invoiceTotal; }
    public String getInvoicePdfUrl() { return invoicePdfUrl; }
    public boolean isInvoiceAttached() { return invoiceAttached; }
    public void setInvoiceAttached(boolean invoiceAttached) { this.invoiceAttached = invoiceAttached; touch(); }
    public Instant getInvoicedAt() { return invoicedAt; }
    public Instant getPaidSeenAt() { return paidSeenAt; }
    public void setPaidSeenAt(Instant paidSeenAt) { this.paidSeenAt = paidSeenAt; }
    public String getRunId() { return runId; }
    public void setRunId(String runId) { this.runId = runId; }
    public int getAttempts() { return attempts; }
    public void countAttempt() { this.attempts++; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    public String getReceiptStatus() { return receiptStatus; }
    public Instant getReceiptSentAt() { return receiptSentAt; }
    public String getReceiptTo() { return receiptTo; }
    public String getReceiptReason() { return receiptReason; }
    public int getReceiptCount() { return receiptCount == null ? 0 : receiptCount; }

    public BigDecimal getExpectedTotal() { return expectedTotal; }
    public void setExpectedTotal(BigDecimal expectedTotal) { this.expectedTotal = expectedTotal; }
    public String getWarning() { return warning; }
    public void setWarning(String warning) { this.warning = warning; }
    public Instant getCanceledAt() { return canceledAt; }
    public void setCanceledAt(Instant canceledAt) { this.canceledAt = canceledAt; }

    /**
     * Whether the buyer is owed a receipt the receipts ledger has not taken charge of yet: an issued
     * invoice whose receipt has no state, or a credit note not yet queued (nor decided against).
     */
    public boolean isReceiptOwed() {
        return invoiceCae != null && receiptStatus == null
                || creditCae != null && !Boolean.TRUE.equals(receiptCreditQueued);
    }

    public Long getCustomerId() { return customerId; }
    public void setCustomerId(Long customerId) { this.customerId = customerId; }
    public Long getCreditId() { return creditId; }
    public String getCreditTipo() { return creditTipo; }
    public String getCreditNumero() { return creditNumero; }
    public String getCreditCae() { return creditCae; }
    public BigDecimal getCreditTotal() { return creditTotal; }
    public String getCreditPdfUrl() { return creditPdfUrl; }
    public boolean isCreditAttached() { return creditAttached; }
    public Instant getCreditedAt() { return creditedAt; }

    // ---- the same steps for either document ------------------------------------------------

    public InvoicePhase phase(DocumentSlot slot) {
        return slot == DocumentSlot.INVOICE ? phase : creditPhase;
    }

    public void phase(DocumentSlot slot, InvoicePhase value) {
        if (slot == DocumentSlot.INVOICE) {
            this.phase = value;
        } else {
            this.creditPhase = value;
        }
        touch();
    }

    public Long draftId(DocumentSlot slot) {
        return slot == DocumentSlot.INVOICE ? draftId : creditDraftId;
    }

    public void draftId(DocumentSlot slot, Long value) {
        if (slot == DocumentSlot.INVOICE) {
            this.draftId = value;
        } else {
            this.creditDraftId = value;
        }
    }

    public LocalDate fechaEmision(DocumentSlot slot) {
        return slot == DocumentSlot.INVOICE ? fechaEmision : creditFechaEmision;
    }

    public void fechaEmision(DocumentSlot slot, LocalDate value) {
        if (slot == DocumentSlot.INVOICE) {
            this.fechaEmision = value;
        } else {
            this.creditFechaEmision = value;
        }
    }

    public String tipo(DocumentSlot slot) {
        return slot == DocumentSlot.INVOICE ? invoiceTipo : creditTipo;
    }

    public void tipo(DocumentSlot slot, String value) {
        if (slot == DocumentSlot.INVOICE) {
            this.invoiceTipo = value;
        } else {
            this.creditTipo = value;
        }
    }

    public boolean attached(DocumentSlot slot) {
        return slot == DocumentSlot.INVOICE ? invoiceAttached : creditAttached;
    }

    /**
     * True once a POST of the document to the Jumpseller order may have been sent, whether or not its
     * answer arrived (it is committed with the CAE, before the POST, so a crash in between cannot hide
     * a POST that went out).
     */
    public boolean attachSent(DocumentSlot slot) {
        return slot == DocumentSlot.INVOICE ? invoiceAttachSent : creditAttachSent;
    }

    /**
     * Not stored: the document's CAE and its attach-sent mark were committed by this very instance's
     * holder a moment ago, so no POST has gone out yet and Jumpseller need not be asked first.
     */
    @jakarta.persistence.Transient
    private transient DocumentSlot issuedJustNow;

    public boolean issuedJustNow(DocumentSlot slot) {
        return issuedJustNow == slot;
    }

    void markIssuedJustNow(DocumentSlot slot) {
        this.issuedJustNow = slot;
    }

    public void attachSent(DocumentSlot slot, boolean value) {
        if (slot == DocumentSlot.INVOICE) {
            this.invoiceAttachSent = value;
        } else {
            this.creditAttachSent = value;
        }
    }

    public void attached(DocumentSlot slot, boolean value) {
        if (slot == DocumentSlot.INVOICE) {
            this.invoiceAttached = value;
        } else {
            this.creditAttached = value;
        }
        touch();
    }

    /** Records the granted document (its CAE) and moves the order to INVOICED or CREDITED. */
    public void issued(DocumentSlot slot, long id, String numero, String cae, BigDecimal total, String pdfUrl) {
        if (slot == DocumentSlot.INVOICE) {
            this.invoiceId = id;
            this.invoiceNumero = numero;
            this.invoiceCae = cae;
            this.invoiceTotal = total;
            this.invoicePdfUrl = pdfUrl;
            this.invoicedAt = Instant.now();
        } else {
            this.creditId = id;
            this.creditNumero = numero;
            this.creditCae = cae;
            this.creditTotal = total;
            this.creditPdfUrl = pdfUrl;
            this.creditedAt = Instant.now();
        }
        phase(slot, InvoicePhase.ISSUED);
        setStatus(slot.issuedStatus, null);
    }
}
