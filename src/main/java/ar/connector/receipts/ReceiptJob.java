package ar.connector.receipts;

/**
 * A message on the receipts queue: send message number {@code number} of the order's receipt.
 * Numbering makes duplicates harmless: once that many messages were sent, the job does nothing.
 *
 * @param manual asked for by the merchant (resend): sent even when the link's emailReceipts is off
 */
public record ReceiptJob(long orderRecordId, int number, boolean manual) {
}
