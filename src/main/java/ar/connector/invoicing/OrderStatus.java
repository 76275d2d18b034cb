package ar.connector.invoicing;

/** The order states of SPEC §3.2. */
public enum OrderStatus {
    /** Paid (or asked for) and not yet invoiced: queued, in progress, or waiting for a manual/bulk run. */
    PENDING,
    /** CAE granted. */
    INVOICED,
    /** Needs a person; reason given; retryable. */
    PARKED,
    /** Gave up after retries; reason given; retryable. */
    FAILED,
    /** Not to be invoiced (not paid, canceled before invoicing, non-ARS, or skipped by hand). */
    SKIPPED,
    /** Invoiced, then canceled, and a credit note issued. */
    CREDITED;

    public boolean isFinal() {
        return this == INVOICED || this == SKIPPED || this == CREDITED;
    }
}
