-- Receipts e-mailed to the buyer and merchant alert digests (SPEC §1.3, §2 alertEmail).

-- The receipt of an order's invoice. Written only by the receipts flow (plain SQL, no version bump),
-- so it never races the invoicing flow's optimistic updates of the same row.
--   receipt_status: PENDING (queued or retrying; reason = last error), SENDING (handed to SMTP),
--                   SENT, FAILED (gave up; reason), SKIPPED (nothing to send; reason)
--   receipt_count:  messages accepted by SMTP so far; a job asks for message number count + 1, so a
--                   duplicate job for a number already sent sends nothing.
--   receipt_sending_at: when the current send started; a SENDING row older than the send timeout
--                   was interrupted (crash) and is sent again with the same Message-ID.
alter table order_record add column receipt_status varchar(10);
alter table order_record add column receipt_sent_at timestamp with time zone;
alter table order_record add column receipt_to varchar(320);
alter table order_record add column receipt_reason varchar(2000);
alter table order_record add column receipt_message_id varchar(300);
alter table order_record add column receipt_count integer not null default 0;
alter table order_record add column receipt_queued_at timestamp with time zone;
alter table order_record add column receipt_sending_at timestamp with time zone;

create index ix_order_record_receipt on order_record (receipt_status, receipt_queued_at);

-- The updated_at of the order when a digest last reported it PARKED/FAILED: the order is news
-- again only if it changed since (e.g. retried and parked anew).
alter table order_record add column alert_reported_at timestamp with time zone;

-- When each link's last digest went out (at most one per connector.alerts.digest-interval).
create table alert_digest (
    link_id                     bigint       primary key references link (id),
    last_sent_at                timestamp with time zone not null,
    orders_reported             integer      not null default 0
);
