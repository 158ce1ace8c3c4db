package dev.apikeys.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.query.keys.ReadModelProjection;
import dev.apikeys.query.processing.ReadYourWrites;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

/**
 * The query side on a real PostgreSQL, with Hibernate validating the Flyway schema. Events are
 * appended straight through the storage engine in their own transaction, as the command side in
 * another process would: nothing local wakes the processor, and each GET follows the append
 * immediately, so only read-your-writes makes the write visible.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apikeys.security.hmac-secret=" + TestTokens.SECRET,
        // Nothing listens there: the audit publisher keeps failing, and reads must not care.
        "apikeys.audit.bootstrap-servers=127.0.0.1:9",
})
class QuerySideApplicationTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SharedPostgres.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    EventStorageEngine storageEngine;

    @Autowired
    EventStore eventStore;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    Flyway readModelFlyway;

    @Autowired
    EventProcessingConfiguration processing;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    ReadYourWrites readYourWrites;


    @Autowired
    JdbcTemplate jdbc;

    private final ObjectMapper json = new ObjectMapper();

    private RestClient http;
    private String user;

    @BeforeEach
    void setUp() {
        http = RestClient.builder().baseUrl("http://localhost:" + port).build();
        user = "user-" + UUID.randomUUID();
    }

    @Test
    void migratesTheReadModelSchemaThatHibernateValidates() {
        // The context started with ddl-auto=validate, so Hibernate accepted what these created.
        assertThat(readModelFlyway.info().applied())
                .filteredOn(migration -> migration.getVersion() != null)
                .extracting(migration -> migration.getVersion().getVersion())
                .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        assertThat(readModelFlyway.info().pending()).isEmpty();
    }

    /**
     * A lookup run a few times while its table was near empty (a new deployment, a rebuild's shadow
     * table) gets a plan that scans the whole table, which PostgreSQL keeps, and would choose again
     * for a grown table it has no statistics of: the read model's catch-up fell to 1,100 events/s
     * that way, on a server without autovacuum. The table's statistics are refreshed as it grows.
     */
    @Test
    void aLookupPreparedWhileItsTableWasNearEmptyUsesTheIndexOnceTheTableHasGrown() {
        String table = "read_model.plan_probe_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.execute("create table " + table + " (like read_model.api_key including all)");
        try {
            long scansOfTheGrownTable = jdbc.execute((Connection connection) -> {
                try (PreparedStatement select = connection.prepareStatement(
                        "select * from " + table + " where id = any(?)");
                        Statement statement = connection.createStatement()) {
                    statement.execute(insertKeys(table, 20));
                    Array ids = connection.createArrayOf("uuid",
                            IntStream.range(0, 500).mapToObj(i -> UUID.randomUUID()).toArray());
                    // Past pgjdbc's prepareThreshold (5) and PostgreSQL's five custom plans.
                    for (int i = 0; i < 12; i++) {
                        select.setArray(1, ids);
                        select.executeQuery().close();
                    }
                    statement.execute(insertKeys(table, 50_000));
                    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                            // Analyzed since it grew: autovacuum's VACUUM of the inserts alone sets the
                            // row count but no column statistics, and the planner then rightly scans.
                            "select reltuples > 40000 and exists (select from pg_statistic where starelid = c.oid)"
                                    + " from pg_class c where oid = cast(? as regclass)",
                            Boolean.class, table));
                    connection.setAutoCommit(false);
                    try {
                        long before = sequentialScans(connection, table);
                        select.setArray(1, ids);
                        select.executeQuery().close();
                        return sequentialScans(connection, table) - before;
                    } finally {
                        connection.rollback();
                        connection.setAutoCommit(true);
                    }
                }
            });
            assertThat(scansOfTheGrownTable).isZero();
        } finally {
            jdbc.execute("drop table " + table);
        }
    }

    private static String insertKeys(String table, int count) {
        return "insert into " + table + " (id, user_id, organization_id, name, key_prefix, scopes, created_at,"
                + " updated_at, last_used_at, expires_at, disabled, deleted, last_sequence, key_hash)"
                + " select gen_random_uuid(), 'user', null, 'name', 'sk_abc', '[\"a:b\"]', now(), now(), null, null,"
                + " false, false, 0, md5(random()::text) || md5(random()::text) from generate_series(1, " + count + ")";
    }

    private static long sequentialScans(Connection connection, String table) throws SQLException {
        try (PreparedStatement scans = connection.prepareStatement(
                "select seq_scan from pg_stat_xact_user_tables where relid = cast(? as regclass)")) {
            scans.setString(1, table);
            try (ResultSet row = scans.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    @Test
    void everyProcessorSequencesAKeysUsageWithTheKeysOwnEvents() {
        UUID keyId = UUID.randomUUID();
        DomainEventMessage<?> lifecycle = event(keyId, 1, new ApiKeyDisabled(keyId, user, Instant.now()));
        DomainEventMessage<?> usage = new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE,
                ApiKeyUsageStream.of(keyId), 0, new ApiKeyUsed(keyId, user, Instant.now()));

        for (String processor : List.of("apikey-read-model", "apikey-audit-publisher", "apikey-analytics")) {
            assertThat(processing.sequencingPolicy(processor).getSequenceIdentifierFor(usage)).as(processor)
                    .isEqualTo(processing.sequencingPolicy(processor).getSequenceIdentifierFor(lifecycle))
                    .isEqualTo(keyId.toString());
        }
    }

    @Test
    void everyProcessorPropagatesHandlerErrorsInsteadOfSkippingTheEvent() {
        for (String processor : List.of("apikey-read-model", "apikey-audit-publisher", "apikey-analytics")) {
            assertThat(processing.listenerInvocationErrorHandler(processor))
                    .as(processor).isInstanceOf(PropagatingErrorHandler.class);
            assertThat(processing.errorHandler(processor)).as(processor).isInstanceOf(PropagatingErrorHandler.class);
            assertThat(processing.eventProcessor(processor, PooledStreamingEventProcessor.class))
                    .as(processor).isPresent();
        }
    }

    @Test
    void getShowsTheCallersLiveKeysNewestFirstRightAfterTheyWereAppendedElsewhere() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        UUID deleted = UUID.randomUUID();
        UUID someoneElses = UUID.randomUUID();
        Instant expiresAt = now.plus(30, ChronoUnit.DAYS);
        appendElsewhere(
                event(older, 0, created(older, user, "ci", List.of("models:read"), null, now.minusSeconds(20))),
                event(newer, 0, created(newer, user, "deploy", List.of("workflows:*", "models:read"), expiresAt,
                        now.minusSeconds(10))),
                event(deleted, 0, created(deleted, user, "gone", List.of(), null, now.minusSeconds(5))),
                event(someoneElses, 0, created(someoneElses, "someone-else", "theirs", List.of(), null, now)));
        appendElsewhere(
                event(newer, 1, new ApiKeyDisabled(newer, user, now)),
                event(deleted, 1, new ApiKeyDeleted(deleted, user, now)));

        ResponseEntity<String> response = get(user);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatusCode.valueOf(200));
        JsonNode keys = json.readTree(response.getBody());
        assertThat(keys).extracting(key -> key.get("id").asText())
                .containsExactly(newer.toString(), older.toString());
        JsonNode disabled = keys.get(0);
        assertThat(fieldNames(disabled)).containsExactlyInAnyOrder("id", "created_at", "updated_at", "user_id",
                "organization_id", "name", "key_prefix", "scopes", "last_used_at", "expires_at", "disabled", "metadata",
                "allowed_cidrs", "rate_limit", "credits");
        assertThat(disabled.get("user_id").asText()).isEqualTo(user);
        assertThat(disabled.get("organization_id").isNull()).isTrue();
        assertThat(disabled.get("name").asText()).isEqualTo("deploy");
        assertThat(disabled.get("key_prefix").asText()).isEqualTo("sk_abcde");
        assertThat(disabled.get("scopes")).extracting(JsonNode::asText).containsExactly("workflows:*", "models:read");
        assertThat(Instant.parse(disabled.get("created_at").asText())).isEqualTo(now.minusSeconds(10));
        assertThat(Instant.parse(disabled.get("updated_at").asText())).isEqualTo(now);
        assertThat(Instant.parse(disabled.get("expires_at").asText())).isEqualTo(expiresAt);
        assertThat(disabled.get("last_used_at").isNull()).isTrue();
        assertThat(disabled.get("disabled").asBoolean()).isTrue();
        assertThat(keys.get(1).get("disabled").asBoolean()).isFalse();
        assertThat(keys.get(1).get("expires_at").isNull()).isTrue();
        assertThat(response.getBody()).doesNotContain("hash-of-");
    }

    @Test
    void getShowsAKeyPublishedInThisProcessRightAway() throws Exception {
        UUID key = UUID.randomUUID();
        eventStore.publish(event(key, 0, created(key, user, "local", List.of(), null, Instant.now())));

        JsonNode keys = json.readTree(get(user).getBody());

        assertThat(keys).extracting(node -> node.get("id").asText()).containsExactly(key.toString());
    }

    /**
     * Many writes, each followed at once by its owner's GET, alternating between a publish in this
     * process and an append by another process; every GET must show the write before it.
     */
    @Test
    void everyGetShowsTheWriteRightBeforeItWhereverItWasCommitted() throws Exception {
        List<String> owners = List.of("owner-a-" + user, "owner-b-" + user, "owner-c-" + user, "owner-d-" + user);
        Map<String, List<UUID>> liveKeysNewestFirst = new HashMap<>();
        Map<UUID, Boolean> disabled = new HashMap<>();
        Map<UUID, Long> nextSequence = new HashMap<>();
        Instant start = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int write = 0; write < 200; write++) {
            String owner = owners.get(write % owners.size());
            List<UUID> keys = liveKeysNewestFirst.computeIfAbsent(owner, ignored -> new ArrayList<>());
            Instant at = start.plusMillis(write);
            DomainEventMessage<?> event;
            // Per owner: create, create, flip the newest key's flag, delete the oldest key.
            switch (write / owners.size() % 4) {
                case 0, 1 -> {
                    UUID key = UUID.randomUUID();
                    keys.add(0, key);
                    disabled.put(key, false);
                    event = event(key, 0, created(key, owner, "key-" + write, List.of(), null, at));
                }
                case 2 -> {
                    UUID key = keys.get(0);
                    boolean disable = !disabled.get(key);
                    disabled.put(key, disable);
                    event = event(key, nextSequence.get(key),
                            disable ? new ApiKeyDisabled(key, owner, at) : new ApiKeyEnabled(key, owner, at));
                }
                default -> {
                    UUID key = keys.remove(keys.size() - 1);
                    event = event(key, nextSequence.get(key), new ApiKeyDeleted(key, owner, at));
                }
            }
            nextSequence.merge(UUID.fromString(event.getAggregateIdentifier()), 1L, Long::sum);
            boolean inThisProcess = write % 2 == 0;
            if (inThisProcess) {
                eventStore.publish(event);
            } else {
                appendElsewhere(event);
            }

            JsonNode answer = json.readTree(get(owner).getBody());

            List<String> expected = keys.stream().map(key -> key + (disabled.get(key) ? " disabled" : "")).toList();
            assertThat(answer).extracting(node -> node.get("id").asText()
                            + (node.get("disabled").asBoolean() ? " disabled" : ""))
                    .as("GET after write %d (%s, %s)", write, event.getPayloadType().getSimpleName(),
                            inThisProcess ? "published in this process" : "appended elsewhere")
                    .containsExactlyElementsOf(expected);
        }
    }

    /**
     * A wait inside a transaction must still see the processor move: positions read as entities
     * would come back from the persistence context as they were at the first poll.
     */
    @Test
    void aWaitInsideATransactionSeesTheProcessorMove() {
        TransactionTemplate elsewhere = new TransactionTemplate(transactionManager);
        elsewhere.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        transaction.executeWithoutResult(status -> {
            elsewhere.executeWithoutResult(inner -> storageEngine.appendEvents(
                    List.of(event(first, 0, created(first, user, "first", List.of(), null, Instant.now())))));
            await().atMost(Duration.ofSeconds(10)).until(() -> isInTheReadModel(first));
            readYourWrites.awaitProcessor(ReadModelProjection.PROCESSOR);
            elsewhere.executeWithoutResult(inner -> storageEngine.appendEvents(
                    List.of(event(second, 0, created(second, user, "second", List.of(), null, Instant.now())))));
            await().atMost(Duration.ofSeconds(10)).until(() -> isInTheReadModel(second));

            // Seeing only the first poll's positions, it would give up at the timeout.
            assertThatCode(() -> readYourWrites.awaitProcessor(ReadModelProjection.PROCESSOR)).doesNotThrowAnyException();
        });
    }

    @Test
    void aReadModelThatCannotCatchUpInTimeAnswers503RatherThanAStaleList() throws Exception {
        StreamingEventProcessor readModel = processing
                .eventProcessor(ReadModelProjection.PROCESSOR, StreamingEventProcessor.class).orElseThrow();
        UUID key = UUID.randomUUID();
        readModel.shutDown();
        try {
            appendElsewhere(event(key, 0, created(key, user, "unseen", List.of(), null, Instant.now())));

            ResponseEntity<String> response = get(user);

            assertThat(response.getStatusCode()).isEqualTo(HttpStatusCode.valueOf(503));
            assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("1");
            assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
            assertThat(json.readTree(response.getBody()).get("status").asInt()).isEqualTo(503);
        } finally {
            readModel.start();
        }
        // The restarted processor claims its segments again before it catches up.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ResponseEntity<String> caughtUp = get(user);
            assertThat(caughtUp.getStatusCode()).isEqualTo(HttpStatusCode.valueOf(200));
            assertThat(json.readTree(caughtUp.getBody())).extracting(node -> node.get("id").asText())
                    .containsExactly(key.toString());
        });
    }

    @Test
    void getWithoutATokenIsUnauthorized() {
        ResponseEntity<String> response = http.get().uri("/api/v1/me/apikeys")
                .exchange((request, answer) -> ResponseEntity.status(answer.getStatusCode())
                        .headers(answer.getHeaders()).body(""));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatusCode.valueOf(401));
        assertThat(response.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
    }

    private boolean isInTheReadModel(UUID key) {
        return jdbc.queryForObject("select count(*) from read_model.api_key where id = ?", Integer.class, key) == 1;
    }

    private ResponseEntity<String> get(String userId) {
        return http.get().uri("/api/v1/me/apikeys")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(userId))
                .exchange((request, answer) -> ResponseEntity.status(answer.getStatusCode())
                        .headers(answer.getHeaders())
                        .body(new String(answer.getBody().readAllBytes(), StandardCharsets.UTF_8)));
    }

    /** Appends in its own committed transaction, without the local event store noticing. */
    private void appendElsewhere(DomainEventMessage<?>... events) {
        EventsElsewhere.append(transaction, storageEngine, events);
    }

    private DomainEventMessage<?> event(UUID keyId, long sequence, Object payload) {
        return EventsElsewhere.ofKey(keyId, sequence, payload, user);
    }

    private static ApiKeyCreated created(UUID keyId, String userId, String name, List<String> scopes,
            Instant expiresAt, Instant createdAt) {
        return new ApiKeyCreated(keyId, userId, null, name, "sk_abcde", "hash-of-" + keyId, scopes, expiresAt,
                createdAt, null);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
