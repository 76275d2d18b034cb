-- The order-invoicing route asks the receipts ledger, after every handling of an order, whether the
-- order owes its buyer a receipt: an issued invoice whose receipt has no state yet, or a credit note
-- the ledger has not taken charge of (queued its message, or decided not to mail it).
alter table order_record add column receipt_credit_queued boolean not null default false;

-- Credit notes issued before this version were decided by the old in-process listener.
update order_record set receipt_credit_queued = true where credit_cae is not null;

-- Invoices recorded without any receipt state (before receipts existed) are not mailed now, long after.
update order_record set receipt_status = 'SKIPPED',
    receipt_reason = 'Factura emitida antes de que existiera el envío de comprobantes'
    where invoice_cae is not null and receipt_status is null;
