package dev.apikeys.standalone;

import static dev.apikeys.standalone.Api.KEYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeys.standalone.embedded.ChildJvm;
import dev.apikeys.standalone.embedded.EmbeddedPostgresServer;
import dev.apikeys.standalone.embedded.Postmaster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * {@code kill -9} of the standalone service while writes stream in from several threads, then a
 * start on the same data directory: every write that was answered is in the event store, the read
 * model is exactly the fold of the store (same keys, states, nothing applied twice), and every
 * stored event reaches Kafka. The service runs in a JVM of its own, so it can die without its
 * shutdown hooks; its embedded PostgreSQL is left running as an orphan, which the restart, in a
 * JVM of its own again, stops. The test stops what is left, also when it fails.
 */
class KillDuringWritesTest {

    private static final int WRITERS = 4;
    private static final int ANSWERED_BEFORE_THE_KILL = 40;
    private static final Logger log = LoggerFactory.getLogger(KillDuringWritesTest.class);

    private final Path dataDir = StandaloneTestProperties.newDataDir();
    private ChildJvm service;
    private ChildJvm restarted;

    /** The writes of one key that were answered, in order; the event types they appended. */
    private final Map<String, List<String>> answered = new ConcurrentHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopEverything() {
        if (service != null) {
            service.close();
        }
        if (restarted != null) {
            restarted.stop(Duration.ofSeconds(60));
        }
        Postmaster.stopOrphan(dataDir.resolve("postgres"));
    }

    @Test
    void answeredWritesSurviveAKillAndTheReadModelAndKafkaMatchTheStore() throws Exception {
        int kafkaPort = StandaloneTestProperties.freePort();
        Map<String, String> properties = new LinkedHashMap<>(StandaloneTestProperties.forDataDir(dataDir, kafkaPort, 1000));
        properties.put("server.port", Integer.toString(StandaloneTestProperties.freePort()));
        service = ChildJvm.start(StandaloneApplication.class, dataDir.resolve("service.log"),
                StandaloneTestProperties.asArguments(properties));
        Api api = new Api(Integer.parseInt(properties.get("server.port")));
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> !service.isAlive() || answers(api, "/actuator/health", null));
        assertThat(service.isAlive()).as("the service started; its output is in %s", dataDir.resolve("service.log"))
                .isTrue();

        AtomicInteger answeredCreates = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            String token = Tokens.forUser("writer-" + i);
            Random random = new Random(i);
            Thread writer = new Thread(() -> write(api, token, random, answeredCreates, killed), "writer-" + i);
            writer.start();
            writers.add(writer);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> answeredCreates.get() >= ANSWERED_BEFORE_THE_KILL);
        // Set first: a request the kill cuts off fails before kill() returns.
        killed.set(true);
        service.kill();
        for (Thread writer : writers) {
            writer.join();
        }
        assertThat(failures).as("writes answered wrongly before the kill").isEmpty();
        log.info("Killed the service after {} answered creates and {} answered writes in all", answeredCreates.get(),
                answered.values().stream().mapToInt(List::size).sum());

        long restarting = System.nanoTime();
        restarted = ChildJvm.start(StandaloneApplication.class, dataDir.resolve("service-restarted.log"),
                StandaloneTestProperties.asArguments(properties));
        for (int i = 0; i < WRITERS; i++) {
            String token = Tokens.forUser("writer-" + i);
            // Read-your-writes: once a GET answers, the read model covers everything stored.
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !restarted.isAlive() || answers(api, KEYS, token));
            assertThat(restarted.isAlive()).as("the service started again; its output is in %s",
                    dataDir.resolve("service-restarted.log")).isTrue();
        }
        log.info("Started again on the same data, and answered reads {} ms after the start",
                Duration.ofNanos(System.nanoTime() - restarting).toMillis());

        String password = new EmbeddedPostgresServer(dataDir.resolve("postgres"), dataDir.resolve("postgres.log"))
                .password();
        JdbcTemplate store = new JdbcTemplate(new DriverManagerDataSource(Postmaster.jdbcUrl(dataDir.resolve("postgres")),
                EmbeddedPostgresServer.USERNAME, password));
        Map<String, List<String>> stored = eventTypesPerKey(store);
        for (Map.Entry<String, List<String>> key : answered.entrySet()) {
            // Every answered write is there in order; at most the one in flight at the kill follows.
            assertThat(stored.get(key.getKey())).as("stored events of answered key %s", key.getKey())
                    .startsWith(key.getValue().toArray(String[]::new))
                    .hasSizeLessThanOrEqualTo(key.getValue().size() + 1);
        }
        assertThat(readModel(store)).as("the read model is the fold of the store")
                .isEqualTo(fold(stored, lastSequences(store)));

        Set<String> eventIds = new HashSet<>(store.queryForList(
                "select event_identifier from event_store.domain_event_entry", String.class));
        long publishing = System.nanoTime();
        try (AuditTopic topic = new AuditTopic("127.0.0.1:" + kafkaPort)) {
            topic.awaitRecords(records -> records.stream().map(r -> r.header("ce_id")).toList().containsAll(eventIds),
                    Duration.ofSeconds(120));
        }
        log.info("{} events of {} keys in the store; every one on Kafka {} ms after the reads answered", eventIds.size(),
                stored.size(), Duration.ofNanos(System.nanoTime() - publishing).toMillis());
    }

    /**
     * Creates keys and, now and then, toggles or deletes them, until the service is killed. Each
     * answered write is noted; an answer that is not the expected one ends the writer, noted too.
     */
    private void write(Api api, String token, Random random, AtomicInteger answeredCreates, AtomicBoolean killed) {
        while (!killed.get()) {
            try {
                Api.Response created = api.post(KEYS, token, "{\"name\": \"written before the kill\"}");
                if (unexpected(created, 201)) {
                    return;
                }
                String id = created.json().get("id").asText();
                List<String> events = new ArrayList<>(List.of("ApiKeyCreated"));
                answered.put(id, List.copyOf(events));
                answeredCreates.incrementAndGet();
                for (int toggles = random.nextInt(3); toggles > 0; toggles--) {
                    Api.Response toggled = api.put(KEYS + "/" + id, token);
                    if (unexpected(toggled, 200)) {
                        return;
                    }
                    events.add(toggled.json().get("disabled").asBoolean() ? "ApiKeyDisabled" : "ApiKeyEnabled");
                    answered.put(id, List.copyOf(events));
                }
                if (random.nextInt(4) == 0) {
                    if (unexpected(api.delete(KEYS + "/" + id, token), 204)) {
                        return;
                    }
                    events.add("ApiKeyDeleted");
                    answered.put(id, List.copyOf(events));
                }
            } catch (RuntimeException connectionGone) {
                if (!killed.get()) {
                    failures.add("no answer while the service ran: " + connectionGone);
                    return;
                }
                // Killed mid-request: that write was never answered.
            }
        }
    }

    private boolean unexpected(Api.Response response, int status) {
        if (response.status() == status) {
            return false;
        }
        failures.add("answered " + response.status() + " instead of " + status + ": " + response.body());
        return true;
    }

    /** Each key's events, oldest first, by the last part of their type. */
    private static Map<String, List<String>> eventTypesPerKey(JdbcTemplate store) {
        Map<String, List<String>> events = new HashMap<>();
        store.query("select aggregate_identifier, substring(payload_type from '[^.]+$') as type"
                + " from event_store.domain_event_entry order by aggregate_identifier, sequence_number", row -> {
            events.computeIfAbsent(row.getString("aggregate_identifier"), id -> new ArrayList<>()).add(row.getString("type"));
        });
        return events;
    }

    /** What the read model holds per key: disabled, deleted, the sequence number it applied last. */
    private static Map<String, List<Object>> readModel(JdbcTemplate store) {
        Map<String, List<Object>> rows = new HashMap<>();
        store.query("select id::text, disabled, deleted, last_sequence from read_model.api_key", row -> {
            assertThat(rows.put(row.getString(1), List.of(row.getBoolean(2), row.getBoolean(3), row.getLong(4))))
                    .as("one row per key").isNull();
        });
        return rows;
    }

    /** The same, folded from the store's events. */
    private static Map<String, List<Object>> fold(Map<String, List<String>> stored, Map<String, Long> lastSequences) {
        Map<String, List<Object>> folded = new HashMap<>();
        stored.forEach((id, events) -> {
            boolean disabled = events.lastIndexOf("ApiKeyDisabled") > events.lastIndexOf("ApiKeyEnabled");
            folded.put(id, List.of(disabled, events.contains("ApiKeyDeleted"), lastSequences.get(id)));
        });
        return folded;
    }

    private static Map<String, Long> lastSequences(JdbcTemplate store) {
        Map<String, Long> last = new HashMap<>();
        store.query("select aggregate_identifier, max(sequence_number) from event_store.domain_event_entry"
                + " group by aggregate_identifier", row -> {
            last.put(row.getString(1), row.getLong(2));
        });
        return last;
    }

    private static boolean answers(Api api, String path, String token) {
        try {
            return api.get(path, token).status() == 200;
        } catch (RuntimeException notYetListening) {
            return false;
        }
    }
}
