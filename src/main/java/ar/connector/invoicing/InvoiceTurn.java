package ar.connector.invoicing;

/**
 * What travels on connector.invoice-turns: the turn of one Contabilium account. At most one turn is
 * live per account ({@code turnId} matches the account's row); a message with another id is stale.
 *
 * @param dueAt when the turn should be delivered (epoch milliseconds; a scheduled message), or null for now
 */
public record InvoiceTurn(String clientId, String turnId, Long dueAt) {
}
