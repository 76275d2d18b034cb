package ar.connector.invoicing;

/** What travels on {@code connector.invoice-runs}: enumerate page {@code page} of bulk run {@code runId}. */
public record RunPage(String runId, int page) {
}
