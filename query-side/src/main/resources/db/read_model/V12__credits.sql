-- A key's credits, null when unlimited: what is left of its current grant, its refill, when the
-- grant began and how many it gave (JSON of the events' Credits). The audit publisher keeps the
-- same fold of each key.
alter table read_model.api_key add column credits jsonb;
alter table read_model.audit_key_state add column credits jsonb;

-- What is left of each key's current credit grant that no query-side instance has reserved: an
-- instance answers VALID only from credits it reserved here first, so no grant is ever consumed
-- past what it gave, across instances, restarts and crashes (a crash forfeits what it held).
-- granted_at (microseconds since the epoch) names the grant; a later grant replaces the row.
-- last_granted is what the latest reservation took, so that it is read in the same statement.
create table read_model.credit_pool (
    key_id       uuid   not null primary key,
    granted_at   bigint not null,
    available    bigint not null,
    last_granted bigint not null
);
