-- Net and IVA of the documents a link issued, as Contabilium states them (ImporteTotalBruto = net,
-- ImporteTotalNeto = with IVA). Read once per document, in pages of the month's documents, for the
-- console's summary (Resumen); the order log itself only keeps each document's total.
create table document_amount (
    link_id                     bigint         not null references link (id),
    contabilium_id              bigint         not null,
    net                         numeric(15, 2) not null,
    iva                         numeric(15, 2) not null,
    total                       numeric(15, 2) not null,
    constraint pk_document_amount primary key (link_id, contabilium_id)
);
