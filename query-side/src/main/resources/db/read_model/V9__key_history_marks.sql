-- Every thousandth entry of a key's history: where the key's two streams (its own and its usage
-- stream) stand there, the key's state before it (without its hash), and the earliest and latest
-- time of the thousand entries before it. A page of history reads from the mark before it, and
-- "as of" folds from the last mark whose past all lies before the instant, skipping the blocks
-- that all lie after it, rather than from the first event. Times are microseconds since the
-- epoch, rounded down (earliest) and up (latest): bigints cost a batch of the read model less
-- than timestamps.
create table read_model.key_history_mark (
    key_id    uuid   not null,
    sequence  bigint not null,
    lifecycle bigint not null,
    usage     bigint not null,
    state     jsonb  not null,
    earliest  bigint,
    latest    bigint,
    primary key (key_id, sequence)
);

-- The earliest and latest time of the entries since the key's last mark: the next mark's range.
-- Null for keys from before this migration, whose next range is unknown, so never skipped.
alter table read_model.api_key
    add column block_earliest bigint,
    add column block_latest   bigint;
