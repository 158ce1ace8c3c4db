package dev.apikeys.query.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.query.EventsElsewhere;
import dev.apikeys.query.SharedPostgres;
import dev.apikeys.query.TestTokens;
import dev.apikeys.query.processing.Rebuilds;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

/**
 * A replay of the read model (asked for as an operator would) on a real PostgreSQL while a caller
 * keeps reading and writing: every answer during it is complete and right, and afterwards the
 * tables hold what the events say, even where the live table had drifted from them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apikeys.security.hmac-secret=" + TestTokens.SECRET,
        "apikeys.audit.bootstrap-servers=127.0.0.1:9",
})
class ReadModelRebuildTest {

    private static final int OTHER_KEYS = 5_000;

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
    Rebuilds rebuilds;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsStayCompleteAndRightThroughARebuildThatRestoresWhatTheEventsSay() throws Exception {
        String user = "user-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<UUID> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID key = UUID.randomUUID();
            keys.add(key);
            append(event(key, 0, created(key, user, now)));
        }
        append(event(keys.get(1), 1, new ApiKeyDisabled(keys.get(1), user, now.plusSeconds(1))));
        append(new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE, ApiKeyUsageStream.of(keys.get(2)), 0,
                new ApiKeyUsed(keys.get(2), user, now.plusSeconds(2)), MetaData.emptyInstance()));
        appendOtherUsersKeys(now);
        Map<String, JsonNode> before = await().atMost(Duration.ofSeconds(60))
                .until(() -> byId(list(user)), listed -> listed.size() == 5
                        && !listed.get(keys.get(2).toString()).path("last_used_at").isNull());
        // The live table drifts from the events (as after a bug in an earlier version).
        jdbc.update("update read_model.api_key set disabled = false, last_used_at = null where user_id = ?", user);

        List<String> indexesBefore = indexNames();
        List<String> storageBefore = storageParameters();
        Set<String> expectedAfter = before.keySet();
        ConcurrentLinkedQueue<String> wrongAnswers = new ConcurrentLinkedQueue<>();
        List<UUID> createdDuring = new CopyOnWriteArrayList<>();
        AtomicBoolean rebuilding = new AtomicBoolean(true);
        AtomicInteger readsDuring = new AtomicInteger();
        // Each thread records why it stopped early: an error answer is a wrong answer too.
        Thread reader = new Thread(() -> {
            try {
                while (rebuilding.get()) {
                    List<UUID> answered = List.copyOf(createdDuring);
                    Map<String, JsonNode> listed = byId(list(user));
                    readsDuring.incrementAndGet();
                    if (!listed.keySet().containsAll(expectedAfter)
                            || !answered.stream().allMatch(key -> listed.containsKey(key.toString()))) {
                        wrongAnswers.add("incomplete: " + listed.keySet());
                    }
                }
            } catch (RuntimeException e) {
                wrongAnswers.add("reading failed: " + e);
            }
        });
        Thread writer = new Thread(() -> {
            try {
                while (rebuilding.get()) {
                    UUID key = UUID.randomUUID();
                    append(event(key, 0, created(key, user, Instant.now())));
                    createdDuring.add(key);
                }
            } catch (RuntimeException e) {
                wrongAnswers.add("writing failed: " + e);
            }
        });

        int replay = RestClient.create("http://localhost:" + port).post()
                .uri("/actuator/projections/apikey-read-model/replay")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer("operator", "apikeys:admin"))
                .retrieve().toBodilessEntity().getStatusCode().value();
        assertThat(replay).isEqualTo(202);
        reader.start();
        writer.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> !rebuilds.running(ReadModelProjection.PROCESSOR));
        rebuilding.set(false);
        reader.join();
        writer.join();

        assertThat(wrongAnswers).isEmpty();
        assertThat(readsDuring.get()).isPositive();
        assertThat(createdDuring).isNotEmpty();
        Map<String, JsonNode> after = await().atMost(Duration.ofSeconds(30))
                .until(() -> byId(list(user)), listed -> listed.size() == 5 + createdDuring.size());
        assertThat(after.get(keys.get(1).toString()).path("disabled").asBoolean()).isTrue();
        assertThat(after.get(keys.get(2).toString()).path("last_used_at").asText())
                .isEqualTo(before.get(keys.get(2).toString()).path("last_used_at").asText());
        assertThat(jdbc.queryForObject("select count(key_hash) from read_model.api_key where user_id = ?", Long.class,
                user)).isEqualTo(5L + createdDuring.size());
        assertThat(jdbc.queryForObject("select to_regclass('read_model.api_key_rebuild') is null", Boolean.class))
                .isTrue();
        assertThat(indexNames()).as("the migrations' names, for later migrations to find").isEqualTo(indexesBefore)
                .contains("api_key_pkey", "api_key_key_hash_key");
        assertThat(storageParameters()).as("room on each page for heap-only updates").isEqualTo(storageBefore)
                .containsExactly("api_key fillfactor=80");
    }

    /**
     * The lock that keeps to one rebuild at a time is let go when it ends, on a pooled connection
     * too. Each rebuild that completes swaps a new table in, so a failed one shows as the same table.
     */
    @Test
    void aRebuildCanFollowTheLastOne() {
        for (int run = 0; run < 3; run++) {
            long tableBefore = liveTable();
            assertThat(rebuilds.start(ReadModelProjection.PROCESSOR)).as("run %d", run).isTrue();
            await().atMost(Duration.ofSeconds(120)).until(() -> !rebuilds.running(ReadModelProjection.PROCESSOR));
            assertThat(liveTable()).as("run %d swapped its table in", run).isNotEqualTo(tableBefore);
        }
    }

    private long liveTable() {
        return jdbc.queryForObject("select 'read_model.api_key'::regclass::oid::bigint", Long.class);
    }

    private List<String> storageParameters() {
        return jdbc.queryForList("""
                select relname || ' ' || array_to_string(reloptions, ' ') from pg_class
                 where relnamespace = 'read_model'::regnamespace and relname = 'api_key'
                 order by relname
                """, String.class);
    }

    private List<String> indexNames() {
        return jdbc.queryForList("""
                select indexname from pg_indexes
                 where schemaname = 'read_model' and tablename = 'api_key' order by indexname
                """, String.class);
    }

    private void appendOtherUsersKeys(Instant now) {
        List<DomainEventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < OTHER_KEYS; i++) {
            UUID key = UUID.randomUUID();
            events.add(event(key, 0, created(key, "other-" + i % 50, now)));
            events.add(event(key, 1, new ApiKeyDisabled(key, "other-" + i % 50, now)));
            if (events.size() >= 1000) {
                append(events.toArray(DomainEventMessage[]::new));
                events.clear();
            }
        }
        append(events.toArray(DomainEventMessage[]::new));
    }

    private List<JsonNode> list(String user) {
        try {
            String body = RestClient.create("http://localhost:" + port).get().uri("/api/v1/me/apikeys")
                    .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(user)).retrieve().body(String.class);
            List<JsonNode> keys = new ArrayList<>();
            json.readTree(body).forEach(keys::add);
            return keys;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, JsonNode> byId(List<JsonNode> keys) {
        return keys.stream().collect(Collectors.toMap(key -> key.path("id").asText(), key -> key));
    }

    private void append(DomainEventMessage<?>... events) {
        EventsElsewhere.append(transaction, storageEngine, events);
    }

    private static DomainEventMessage<?> event(UUID keyId, long sequence, Object payload) {
        return EventsElsewhere.ofKey(keyId, sequence, payload, "test");
    }

    private static ApiKeyCreated created(UUID key, String user, Instant at) {
        return new ApiKeyCreated(key, user, null, "ci", "sk_abcde", UUID.randomUUID().toString().replace("-", "")
                + UUID.randomUUID().toString().replace("-", ""), List.of("models:read"), null, at, null);
    }
}
