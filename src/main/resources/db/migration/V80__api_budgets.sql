-- Rate-limit budgets shared by every replica (Bucket4j's PostgreSQL store): one row per budget, named
-- after its owner (Contabilium account or instance, Jumpseller store) and its pacing; state is
-- Bucket4j's serialised bucket. Created on H2 too, where it stays empty (budgets live in memory there).
create table api_budget (
    id    varchar(600) primary key,
    state bytea
);
