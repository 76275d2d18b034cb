-- Credit notes for invoiced orders that are canceled (SPEC §4, last point), with the same
-- crash-safe phases as the invoice itself.
alter table link add column auto_credit_note boolean not null default true;

alter table order_record add column customer_id bigint;
alter table order_record add column credit_phase varchar(20) not null default 'NONE';
alter table order_record add column credit_fecha_emision date;
alter table order_record add column credit_draft_id bigint;
alter table order_record add column credit_id bigint;
alter table order_record add column credit_tipo varchar(3);
alter table order_record add column credit_numero varchar(20);
alter table order_record add column credit_cae varchar(20);
alter table order_record add column credit_total numeric(15, 2);
alter table order_record add column credit_pdf_url varchar(1000);
alter table order_record add column credit_attached boolean not null default false;
alter table order_record add column credited_at timestamp with time zone;
