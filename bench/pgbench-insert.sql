-- pgbench_insert_tps: one 400-byte row under a unique index per transaction, as ./bench/run runs it.
insert into bench_insert (id, payload) values (gen_random_uuid()::text, repeat('x', 400));
