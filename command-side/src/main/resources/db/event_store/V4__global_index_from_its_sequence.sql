-- Axon's JDBC storage engine appends without naming the global index: the column takes it from
-- its sequence, one at a time as before, in the insert itself rather than in a round trip of its own.
alter table domain_event_entry alter column global_index set default nextval('domain_event_entry_seq');
alter sequence domain_event_entry_seq owned by domain_event_entry.global_index;
