package dev.apikeys.query.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.events.EventMetadata;
import dev.apikeys.query.SharedPostgres;
import dev.apikeys.query.TestTokens;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

/**
 * Times history and as_of for a user with 10,000 events (100 keys, 100 events each: creation, 20
 * disable/enable pairs, 59 usage facts), stored interleaved with 40,000 events of other users; then
 * again with 1,000,000 more rows of other streams in the store, to show the lookup stays on the
 * index. Over HTTP and, broken down, in the process. Prints its figures; asserts only what it was
 * answered. Not run by the build (no Test suffix): {@code ./mvnw -o -pl query-side -am verify
 * -Dtest=HistoryBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apikeys.security.hmac-secret=" + TestTokens.SECRET,
        "apikeys.audit.bootstrap-servers=127.0.0.1:9",
})
// Closed afterwards: left running, its processors would share the token table with the next test
// class's process and take over segments that test stops on purpose.
@DirtiesContext
class HistoryBenchmark {

    private static final int KEYS = 100;
    private static final int EVENTS_PER_KEY = 100;
    private static final int OTHER_USERS_PER_ROUND = 400;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SharedPostgres.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    EventStorageEngine storageEngine;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    KeyHistory keyHistory;

    @Autowired
    KeysAsOf keysAsOf;

    @Test
    void timesHistoryAndAsOfForAUserWithTenThousandEvents() throws Exception {
        String user = "bench-" + UUID.randomUUID();
        List<UUID> keys = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            keys.add(UUID.randomUUID());
        }
        List<UUID> others = new ArrayList<>();
        for (int i = 0; i < OTHER_USERS_PER_ROUND; i++) {
            others.add(UUID.randomUUID());
        }
        long appendStart = System.nanoTime();
        for (int round = 0; round < EVENTS_PER_KEY; round++) {
            List<DomainEventMessage<?>> events = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                events.add(event(user, keys.get(k), round, T0.plusSeconds(round * 60L + k)));
            }
            for (int o = 0; o < OTHER_USERS_PER_ROUND; o++) {
                events.add(event("other-" + o, others.get(o), round, T0.plusSeconds(round * 60L + o)));
            }
            transaction.executeWithoutResult(status -> storageEngine.appendEvents(events));
        }
        System.out.printf("appended %d events in %d ms%n", (KEYS + OTHER_USERS_PER_ROUND) * EVENTS_PER_KEY,
                (System.nanoTime() - appendStart) / 1_000_000);
        jdbc.execute("analyze event_store.domain_event_entry");

        RestClient http = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(user)).build();
        ObjectMapper json = new ObjectMapper();
        Instant middle = T0.plusSeconds(50 * 60L);

        // as_of waits for the read model first: let it take in all 50,000 events before timing.
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> http.get().uri("/api/v1/me/apikeys?as_of=" + middle)
                        .exchange((request, answer) -> answer.getStatusCode().value()) == 200);
        long[] asOf = time(60, () -> {
            JsonNode keysThen = json.readTree(http.get().uri("/api/v1/me/apikeys?as_of=" + middle)
                    .retrieve().body(String.class));
            assertThat(keysThen).hasSize(KEYS);
        });
        long[] history = time(200, () -> {
            JsonNode entries = json.readTree(http.get().uri("/api/v1/me/apikeys/" + keys.get(7) + "/history")
                    .retrieve().body(String.class));
            assertThat(entries).hasSize(EVENTS_PER_KEY);
        });
        print("as_of over HTTP, 100 keys / 10,000 events", asOf);
        print("history over HTTP, 1 key / 100 events", history);
        timeInProcess(keys, user, middle);

        // A big store: 1,000,000 more rows of other streams. They get negative global indices, below
        // every processor's position, so no processor reads them and "as of" keeps answering.
        long fillStart = System.nanoTime();
        jdbc.execute("""
                insert into event_store.domain_event_entry (global_index, event_identifier, aggregate_identifier,
                    sequence_number, type, payload_type, payload_revision, payload, meta_data, time_stamp)
                select -i, 'filler-' || i, 'filler-' || (i / 100), i % 100, 'ApiKey',
                       'dev.apikeys.events.ApiKeyDisabled', '1',
                       convert_to('{"keyId":"' || gen_random_uuid() || '","userId":"someone","disabledAt":"2026-01-01T00:00:00Z"}', 'UTF8'),
                       convert_to('{"actor_id":"someone","correlation_id":"x"}', 'UTF8'), '2026-01-01T00:00:00Z'
                  from generate_series(1, 1000000) as i
                """);
        jdbc.execute("analyze event_store.domain_event_entry");
        System.out.printf("filled 1,000,000 rows in %d ms%n", (System.nanoTime() - fillStart) / 1_000_000);
        print("as_of over HTTP, 1,050,000 rows in the store", time(30, () -> {
            JsonNode keysThen = json.readTree(http.get().uri("/api/v1/me/apikeys?as_of=" + middle)
                    .retrieve().body(String.class));
            assertThat(keysThen).hasSize(KEYS);
        }));
        print("history over HTTP, 1,050,000 rows in the store", time(100, () -> {
            JsonNode entries = json.readTree(http.get().uri("/api/v1/me/apikeys/" + keys.get(7) + "/history")
                    .retrieve().body(String.class));
            assertThat(entries).hasSize(EVENTS_PER_KEY);
        }));
        timeInProcess(keys, user, middle);
        String inList = keys.stream().flatMap(k -> Stream.of("'" + k + "'", "'" + k + "/usage'"))
                .collect(Collectors.joining(","));
        // The plan, without the conditions that list all 200 stream names.
        jdbc.queryForList("explain (analyze, buffers) "
                + "select aggregate_identifier, payload_type, payload_revision, payload, meta_data "
                + "from event_store.domain_event_entry where aggregate_identifier in (" + inList
                + ") order by global_index", String.class).stream()
                .filter(line -> !line.contains("Cond:"))
                .forEach(System.out::println);
    }

    private void timeInProcess(List<UUID> keys, String user, Instant middle) throws Exception {
        List<String> streams = keys.stream().flatMap(k -> Stream.of(k.toString(), k + "/usage")).toList();
        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(jdbc);
        print("  sql only (fetch 10,000 rows)", time(30, () -> named.query(
                "select aggregate_identifier, payload_type, payload_revision, payload, meta_data "
                + "from event_store.domain_event_entry where aggregate_identifier in (:s) order by global_index",
                Map.of("s", streams), row -> {
                    row.getBytes("payload");
                    row.getBytes("meta_data");
                })));
        print("  KeyHistory.of each key (storage engine + decode)",
                time(30, () -> keys.forEach(key -> keyHistory.of(key, user, -1, EVENTS_PER_KEY))));
        print("  KeysAsOf.of (ids + sql + decode + fold)", time(30, () -> keysAsOf.of(user, middle)));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < 30; i++) {
            keysAsOf.of(user, middle);
        }
        System.out.printf("  KeysAsOf.of CPU time of this thread: %.1f ms per call%n",
                (threads.getCurrentThreadCpuTime() - cpu) / 30 / 1e6);
    }

    private static DomainEventMessage<?> event(String user, UUID keyId, int round, Instant at) {
        MetaData metaData = MetaData.with(EventMetadata.ACTOR_ID, user).and(EventMetadata.CORRELATION_ID, "bench");
        if (round == 0) {
            return new GenericDomainEventMessage<>("ApiKey", keyId.toString(), 0,
                    new ApiKeyCreated(keyId, user, null, "bench", "sk_12345",
                            UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", ""),
                            List.of("models:read"), null, at, null), metaData);
        }
        if (round <= 40) {
            Object change = round % 2 == 1 ? new ApiKeyDisabled(keyId, user, at) : new ApiKeyEnabled(keyId, user, at);
            return new GenericDomainEventMessage<>("ApiKey", keyId.toString(), round, change, metaData);
        }
        return new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE, ApiKeyUsageStream.of(keyId), round - 41,
                new ApiKeyUsed(keyId, user, at), metaData);
    }

    interface Call {
        void run() throws Exception;
    }

    /** Milliseconds per call, after as many warm-up calls. */
    private static long[] time(int calls, Call call) throws Exception {
        for (int i = 0; i < calls; i++) {
            call.run();
        }
        long[] micros = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            call.run();
            micros[i] = (System.nanoTime() - start) / 1_000;
        }
        Arrays.sort(micros);
        return micros;
    }

    private static void print(String what, long[] micros) {
        System.out.printf("%s: median %.1f ms, p95 %.1f ms, max %.1f ms%n", what, micros[micros.length / 2] / 1000.0,
                micros[(int) (micros.length * 0.95)] / 1000.0, micros[micros.length - 1] / 1000.0);
    }
}
