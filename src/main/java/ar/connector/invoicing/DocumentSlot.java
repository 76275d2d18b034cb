package ar.connector.invoicing;

/** Which of an order's two fiscal documents a step works on: its invoice or the credit note that cancels it. */
public enum DocumentSlot {
    INVOICE(1, "", OrderStatus.INVOICED, "invoiced"),
    CREDIT_NOTE(0, ":nc", OrderStatus.CREDITED, "credited");

    /** Jumpseller's document_type when attaching it to the order. */
    final int jumpsellerDocumentType;
    /** Appended to the order's RefExterna, so a recovery search tells the two apart. */
    final String referenceSuffix;
    /** The order's status once this document has its CAE. */
    final OrderStatus issuedStatus;
    final String metricOutcome;

    DocumentSlot(int jumpsellerDocumentType, String referenceSuffix, OrderStatus issuedStatus, String metricOutcome) {
        this.jumpsellerDocumentType = jumpsellerDocumentType;
        this.referenceSuffix = referenceSuffix;
        this.issuedStatus = issuedStatus;
        this.metricOutcome = metricOutcome;
    }
}
