-- A key's rate limit, null when it has none: at most rate_limit VALID verifications in each window
-- of rate_limit_seconds. The audit publisher keeps the same fold of each key.
alter table read_model.api_key
    add column rate_limit         integer,
    add column rate_limit_seconds integer;
alter table read_model.audit_key_state
    add column rate_limit         integer,
    add column rate_limit_seconds integer;

-- How much of a key's current rate-limit window the query-side instances have reserved between
-- them: an instance answers VALID only from capacity it reserved here first, so no window holds
-- more than the limit across instances, restarts and crashes (a crash forfeits what it held).
-- window_start is in seconds since the epoch; a reservation for a later window replaces the row.
-- last_granted is what the latest reservation added, so that it is read in the same statement.
create table read_model.rate_limit_window (
    key_id       uuid    not null primary key,
    window_start bigint  not null,
    reserved     integer not null,
    last_granted integer not null
);
