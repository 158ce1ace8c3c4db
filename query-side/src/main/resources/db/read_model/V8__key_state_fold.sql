-- The read model keeps each key's state as the one fold of its events leaves it (KeyState): the
-- key's hash joins its row, which verification loads its keys from, so key_lookup goes; and how
-- far the key's usage stream is applied joins how far its own stream is (last_sequence). Keys
-- migrated here count their usage stream as unapplied: a fact applied again changes nothing, as
-- last_used_at keeps the latest use.
alter table read_model.api_key add column key_hash char(64);
update read_model.api_key key set key_hash = lookup.key_hash
  from read_model.key_lookup lookup where lookup.key_id = key.id;
alter table read_model.api_key alter column key_hash set not null;
alter table read_model.api_key add constraint api_key_key_hash_key unique (key_hash);
alter table read_model.api_key add column usage_sequence bigint not null default -1;
drop table read_model.key_lookup;

-- The audit publisher keeps the same fold of each key, but its hash, and the number of its next
-- record. Keys migrated here count both streams as unapplied, so that none of their events still
-- to publish is skipped as one applied already.
alter table read_model.audit_key_state rename column key_id to id;
alter table read_model.audit_key_state
    add column created_at     timestamp(6) with time zone,
    add column updated_at     timestamp(6) with time zone,
    add column last_used_at   timestamp(6) with time zone,
    add column last_sequence  bigint not null default -1,
    add column usage_sequence bigint not null default -1;

-- An instance resetting a processor asks the others to release its segments.
create table read_model.processor_reset (
    processor_name varchar(255)                not null,
    requested_by   varchar(255)                not null,
    requested_at   timestamp(6) with time zone not null,
    primary key (processor_name)
);
