-- Tells listeners (the query side's verification) the highest global index of each committed
-- append, on channel apikeys_event_store. PostgreSQL delivers a notification only when the
-- transaction commits, so a listener learns of an event exactly when it becomes readable, and
-- knows the store's head without querying it per request.
create function notify_appended_events() returns trigger
    language plpgsql as
$$
begin
    perform pg_notify('apikeys_event_store', (select max(global_index) from appended)::text);
    return null;
end
$$;

create trigger domain_event_entry_appended
    after insert on domain_event_entry
    referencing new table as appended
    for each statement
execute function notify_appended_events();
