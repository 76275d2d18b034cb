-- The month's reconciliation of a link: Jumpseller's paid and canceled orders against the Contabilium
-- documents carrying the link's references. Orders and documents are staged here page by page (so
-- memory stays flat whatever the month's size), compared in SQL, and only the differences are kept.
create table reconciliation (
    id                          varchar(36)  primary key,
    link_id                     bigint       not null references link (id),
    -- yyyy-MM, Buenos Aires months
    period_month                varchar(7)   not null,
    -- QUEUED, RUNNING, DONE or FAILED
    state                       varchar(20)  not null,
    -- ORDERS, DOCUMENTS, CHECKS (single reads of doubtful cases), COMPARING
    step                        varchar(20),
    orders_total                integer      not null default 0,
    orders_read                 integer      not null default 0,
    documents_total             integer      not null default 0,
    documents_read              integer      not null default 0,
    checks_total                integer      not null default 0,
    checks_done                 integer      not null default 0,
    error                       varchar(2000),
    created_at                  timestamp with time zone not null,
    started_at                  timestamp with time zone,
    finished_at                 timestamp with time zone
);

create index ix_reconciliation_link on reconciliation (link_id, period_month, created_at);

create table reconciliation_order (
    reconciliation_id           varchar(36)    not null references reconciliation (id),
    order_id                    bigint         not null,
    -- paid or canceled
    status                      varchar(20)    not null,
    expected_total              numeric(15, 2),
    buyer                       varchar(300),
    constraint pk_reconciliation_order primary key (reconciliation_id, order_id)
);

create table reconciliation_document (
    reconciliation_id           varchar(36)    not null references reconciliation (id),
    contabilium_id              bigint         not null,
    -- the order named by RefExterna; null for a document without this store's reference (issued by hand)
    order_id                    bigint,
    credit_note                 boolean        not null,
    tipo                        varchar(3),
    numero                      varchar(20),
    fecha                       date,
    total                       numeric(15, 2),
    -- dated within the month (false: read in the days after it, or checked one by one)
    in_month                    boolean        not null,
    -- for a document whose order is not among the month's: OTHER_MONTH, MISSING or NOT_PAID
    order_check                 varchar(20),
    order_check_detail          varchar(300),
    constraint pk_reconciliation_document primary key (reconciliation_id, contabilium_id)
);

create index ix_reconciliation_document_order on reconciliation_document (reconciliation_id, order_id);

create table reconciliation_difference (
    reconciliation_id           varchar(36)    not null references reconciliation (id),
    seq                         integer        not null,
    -- ORDER_WITHOUT_INVOICE, INVOICE_WITHOUT_ORDER, TOTAL_DIFFERS, CREDITED_WITHOUT_CREDIT_NOTE
    kind                        varchar(40)    not null,
    order_id                    bigint,
    contabilium_id              bigint,
    tipo                        varchar(3),
    numero                      varchar(20),
    order_total                 numeric(15, 2),
    document_total              numeric(15, 2),
    detail                      varchar(500),
    constraint pk_reconciliation_difference primary key (reconciliation_id, seq)
);
