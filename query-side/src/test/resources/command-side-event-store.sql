-- The part of command-side's event_store migration the query side reads (the query side cannot
-- depend on command-side, so its tests create these tables themselves).
create schema event_store;

create sequence event_store.domain_event_entry_seq start with 1 increment by 1;

create table event_store.domain_event_entry (
    global_index         bigint       not null default nextval('event_store.domain_event_entry_seq'),
    event_identifier     varchar(255) not null,
    aggregate_identifier varchar(255) not null,
    sequence_number      bigint       not null,
    type                 varchar(255),
    payload_type         varchar(255) not null,
    payload_revision     varchar(255),
    payload              bytea        not null,
    meta_data            bytea,
    time_stamp           varchar(255) not null,
    primary key (global_index),
    unique (event_identifier),
    unique (aggregate_identifier, sequence_number)
);

create table event_store.snapshot_event_entry (
    aggregate_identifier varchar(255) not null,
    sequence_number      bigint       not null,
    type                 varchar(255) not null,
    event_identifier     varchar(255) not null,
    payload_type         varchar(255) not null,
    payload_revision     varchar(255),
    payload              bytea        not null,
    meta_data            bytea,
    time_stamp           varchar(255) not null,
    primary key (aggregate_identifier, sequence_number, type),
    unique (event_identifier)
);
