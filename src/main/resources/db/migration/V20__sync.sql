-- Stock and price synchronisation (SPEC §1.4-1.5, §3.2 sync-runs).

-- One row per link and run: what was read, what differed, what was written, what could not be matched.
create table sync_run (
    id                          varchar(36)  primary key,
    link_id                     bigint       not null references link (id),
    kind                        varchar(10)  not null,
    -- SCHEDULE, MANUAL or EVENT (a webhook that moved stock)
    run_trigger                 varchar(20)  not null,
    state                       varchar(20)  not null,
    created_at                  timestamp with time zone not null,
    started_at                  timestamp with time zone,
    finished_at                 timestamp with time zone,
    items_read                  integer      not null default 0,
    changed                     integer      not null default 0,
    written                     integer      not null default 0,
    -- JSON: SKUs found on one side only (Contabilium or the store), counted and listed (capped)
    skipped_skus                text,
    duration_ms                 bigint,
    error                       varchar(2000)
);

create index ix_sync_run_link on sync_run (link_id, created_at);

-- Units of paid Jumpseller orders, per SKU (upper-cased), so the stock pushed to every store sharing
-- a Contabilium account can leave out what was sold but is not yet in a Contabilium document. Whether
-- a row still counts is read from order_record (no row yet, or PENDING/PARKED/FAILED in phase NONE).
create table order_line_reservation (
    link_id                     bigint        not null references link (id),
    order_id                    bigint        not null,
    sku                         varchar(200)  not null,
    qty                         numeric(15, 3) not null,
    created_at                  timestamp with time zone not null,
    constraint pk_order_line_reservation primary key (link_id, order_id, sku)
);
