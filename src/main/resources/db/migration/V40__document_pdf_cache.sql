-- Issued invoices' and credit notes' PDFs, shared by every replica: a document's PDF never changes
-- once its CAE is granted, so each is read from Contabilium once, whoever asks for it afterwards
-- (the buyer's link, the console, the receipt e-mail, exports). Bounded by
-- connector.documents.cache-size: the least recently read documents are dropped past it.
create table document_pdf (
    account_id                  varchar(320) not null,
    document_id                 bigint       not null,
    pdf                         bytea        not null,
    size_bytes                  integer      not null,
    stored_at                   timestamp with time zone not null,
    last_read_at                timestamp with time zone not null,
    constraint pk_document_pdf primary key (account_id, document_id)
);

create index ix_document_pdf_last_read on document_pdf (last_read_at);
