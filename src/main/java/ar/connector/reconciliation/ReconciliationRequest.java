package ar.connector.reconciliation;

/** What travels on the reconciliations queue: the run to do (its row holds the link and the month). */
public record ReconciliationRequest(String reconciliationId) {
}
