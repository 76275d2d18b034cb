package ar.connector.invoicing;

/**
 * Where an order stands once the {@code order-invoicing} route's invoicing step has handled it: the
 * route's last two filters read it to release the order's stock reservation and to queue its receipt.
 * Both read the recorded state, not what this one delivery did, so a delivery that follows a crash
 * (or a failed attempt) still does what the earlier one could not.
 *
 * @param invoiceIssued the order's invoice has its CAE: the units are in Contabilium's stock now
 * @param receiptOwed   the buyer is owed a receipt the receipts ledger has not taken charge of yet
 */
public record InvoicingOutcome(long linkId, long orderId, Long orderRecordId, boolean invoiceIssued,
        boolean receiptOwed) {

    /** Nothing recorded for the order (gone link, canceled run, an order that predates the link). */
    public static InvoicingOutcome none(long linkId, long orderId) {
        return new InvoicingOutcome(linkId, orderId, null, false, false);
    }

    static InvoicingOutcome of(OrderRecord record) {
        return new InvoicingOutcome(record.getLinkId(), record.getOrderId(), record.getId(),
                record.getInvoiceCae() != null, record.isReceiptOwed());
    }
}
