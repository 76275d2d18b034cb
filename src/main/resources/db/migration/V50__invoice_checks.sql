-- What the invoice must total (what the buyer paid), committed with the draft; when the CAE is granted,
-- Contabilium's own total is compared with it and a difference becomes the order's warning.
alter table order_record add column expected_total numeric(15, 2);
-- A note for the merchant about an invoiced order, shown in its row and reported once in the alert digest.
alter table order_record add column warning varchar(2000);
-- When the connector first saw the order canceled: RG 4540 gives 15 days from then for the credit note.
alter table order_record add column canceled_at timestamp with time zone;
-- The document was posted to the Jumpseller order (committed before the POST): if its answer never came,
-- the order's documents are read before posting again.
alter table order_record add column invoice_attach_sent boolean not null default false;
alter table order_record add column credit_attach_sent boolean not null default false;
