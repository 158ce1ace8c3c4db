package dev.apikeys.query.keys;

import dev.apikeys.query.QuerySideApplication;
import dev.apikeys.query.SharedPostgres;
import dev.apikeys.query.processing.Rebuilds;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Times a rebuild of the read model from 1,000,000 events (250,000 keys, each created, disabled,
 * enabled and deleted) on a PostgreSQL of your choice. Generates the events with SQL into an empty
 * database. The processors are stopped first, as if caught up and idle, so the figure is the
 * rebuild's own. Prints its figures; asserts nothing.
 * <p>
 * Run against this machine's server: {@code createdb -h 127.0.0.1 -U postgres apikeys_bench}, then
 * {@code java -cp query-side/target/test-classes:query-side/target/classes:$(cat query-side/target/cp.txt)
 * dev.apikeys.query.projection.ReadModelRebuildBenchmark jdbc:postgresql://127.0.0.1:5432/apikeys_bench}
 */
final class ReadModelRebuildBenchmark {

    private static final int KEYS = 250_000;

    private ReadModelRebuildBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("axoniq.update-checker.disabled", "true");
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/apikeys_bench";
        org.springframework.jdbc.datasource.DriverManagerDataSource dataSource =
                new org.springframework.jdbc.datasource.DriverManagerDataSource(url, "postgres", "");
        JdbcTemplate setup = new JdbcTemplate(dataSource);
        setup.execute("drop schema if exists read_model cascade");
        // Two queries: a subquery naming a missing table fails even in a branch that is never taken.
        boolean exists = setup.queryForObject("select to_regclass('event_store.domain_event_entry') is not null",
                Boolean.class);
        long stored = exists
                ? setup.queryForObject("select count(*) from event_store.domain_event_entry", Long.class)
                : 0;
        if (stored != KEYS * 4L) {
            setup.execute("drop schema if exists event_store cascade");
            SharedPostgres.migrateEventStore(dataSource);
            long generating = System.nanoTime();
            setup.execute(generate());
            System.out.printf("generated_events=%d in %d ms%n", KEYS * 4L, elapsedMillis(generating));
        }

        long starting = System.nanoTime();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(QuerySideApplication.class).run(
                "--spring.datasource.url=" + url, "--spring.datasource.password=",
                "--apikeys.security.hmac-secret=benchmark-secret-of-at-least-32-bytes!!",
                "--apikeys.audit.bootstrap-servers=127.0.0.1:9", "--server.port=0")) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            context.getBean(EventProcessingConfiguration.class).eventProcessors().values()
                    .forEach(EventProcessor::shutDown);
            System.out.printf("context_start_ms=%d%n", elapsedMillis(starting));

            Rebuilds rebuilds = context.getBean(Rebuilds.class);
            // The first run shares the machine with this fresh instance's verification feed, which
            // reads the same million events at start; the second runs as on a settled instance.
            for (int run = 1; run <= 2; run++) {
                long rebuilding = System.nanoTime();
                rebuilds.start(ReadModelProjection.PROCESSOR);
                while (rebuilds.running(ReadModelProjection.PROCESSOR)) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                Duration took = Duration.ofNanos(System.nanoTime() - rebuilding);
                System.out.printf("run=%d replay_events=%d replay_ms=%d replay_events_per_s=%.0f%n", run, KEYS * 4L,
                        took.toMillis(), KEYS * 4L / (took.toNanos() / 1e9));
            }
            System.out.printf("rows_after=%d deleted_after=%d%n",
                    jdbc.queryForObject("select count(*) from read_model.api_key", Long.class),
                    jdbc.queryForObject("select count(*) from read_model.api_key where deleted", Long.class));
        }
    }

    private static long elapsedMillis(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    /** Four events per key, interleaved by key like real traffic would not be: the worst case for batching. */
    private static String generate() {
        return """
                insert into event_store.domain_event_entry (global_index, event_identifier, aggregate_identifier,
                    sequence_number, type, payload_type, payload_revision, payload, meta_data, time_stamp)
                select nextval('event_store.domain_event_entry_seq'), gen_random_uuid()::text, k.id::text, e.seq,
                       'ApiKey', e.type, '1', convert_to(e.payload, 'UTF8'),
                       convert_to('{"actor_id":"' || k.owner || '"}', 'UTF8'), '2026-01-01T00:00:00Z'
                  from (select gen_random_uuid() as id, 'user-' || (n %% 1000) as owner, n
                          from generate_series(1, %d) n) k
                  cross join lateral (values
                    (0, 'dev.apikeys.events.ApiKeyCreated', json_build_object('keyId', k.id, 'userId', k.owner,
                        'organizationId', null, 'name', 'key ' || k.n, 'keyPrefix', 'sk_abcde',
                        'keyHash', md5(k.id::text) || md5(k.n::text), 'scopes', json_build_array('models:read'),
                        'expiresAt', null, 'createdAt', '2026-01-01T00:00:00Z', 'rotatedFrom', null)::text),
                    (1, 'dev.apikeys.events.ApiKeyDisabled', json_build_object('keyId', k.id, 'userId', k.owner,
                        'disabledAt', '2026-01-01T00:00:01Z')::text),
                    (2, 'dev.apikeys.events.ApiKeyEnabled', json_build_object('keyId', k.id, 'userId', k.owner,
                        'enabledAt', '2026-01-01T00:00:02Z')::text),
                    (3, 'dev.apikeys.events.ApiKeyDeleted', json_build_object('keyId', k.id, 'userId', k.owner,
                        'deletedAt', '2026-01-01T00:00:03Z')::text)) as e(seq, type, payload)
                 order by e.seq, k.n
                """.formatted(KEYS);
    }
}
