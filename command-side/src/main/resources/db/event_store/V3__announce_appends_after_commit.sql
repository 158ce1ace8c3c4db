-- Appends no longer notify from inside their transaction: a transaction that notifies holds a
-- cluster-wide lock until its commit is flushed, so concurrent appends committed one at a time.
-- The sides announce on channel apikeys_event_store after their commits instead (AppendAnnouncer).
drop trigger domain_event_entry_appended on domain_event_entry;
drop function notify_appended_events();
