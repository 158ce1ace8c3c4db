-- A key's updates (disable, enable, delete, expiry, and last_used_at on every usage fact) change
-- no indexed column, so PostgreSQL can write them heap-only (HOT: no new index entries, the old
-- version pruned on its page) when the row's page has room for the new version. Pages filled to
-- the brim have none. Measured on 250,000 keys, seven batches of 5,000 updates: 0.4 % heap-only
-- and 235 ms a batch as filled, 41 % and 127 ms a batch with a fifth of each page kept free.
-- Pages written from now on keep that room (a rebuild writes all of them again).
alter table read_model.api_key set (fillfactor = 80);
alter table read_model.key_lookup set (fillfactor = 80);
