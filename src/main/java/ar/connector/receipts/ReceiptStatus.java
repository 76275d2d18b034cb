package ar.connector.receipts;

/** The receipt states shown in an order row ({@code receipt.status}). */
public enum ReceiptStatus {
    /** Queued, or waiting for a retry (the reason says what failed last). */
    PENDING,
    /** Handed to the SMTP server; the answer is not yet recorded. */
    SENDING,
    SENT,
    /** Gave up after the configured attempts; the reason says why; the resend action retries. */
    FAILED,
    /** Nothing sent on purpose (receipts off, no valid address); the reason says why. */
    SKIPPED
}
