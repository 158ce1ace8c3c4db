package dev.apikeys.query.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.query.EventsElsewhere;
import dev.apikeys.query.SharedPostgres;
import dev.apikeys.query.TestTokens;
import dev.apikeys.events.KeyState;
import dev.apikeys.query.KeyStates;
import dev.apikeys.query.processing.ProcessorTokens;
import dev.apikeys.runtime.key.ApiKeyFormat;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

/**
 * Verification over HTTP on a real PostgreSQL, with the events appended in transactions of their
 * own as the command side in another process would: only the store's commit announcements tell
 * this process about them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apikeys.security.hmac-secret=" + TestTokens.SECRET,
        "apikeys.audit.bootstrap-servers=127.0.0.1:9",
        "apikeys.usage.flush-interval=300ms",
})
class VerifyHttpTest {

    private static final String VERIFY = "/api/v1/apikeys/verify";
    private static final String BASE62 = ApiKeyFormat.BASE62;
    private static final SecureRandom RANDOM = new SecureRandom();

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
    ProcessorTokens tokens;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    VerifiableKeys keysInMemory;

    private final ObjectMapper json = new ObjectMapper();
    private RestClient http;
    private String user;

    @BeforeEach
    void setUp() {
        http = RestClient.builder().baseUrl("http://localhost:" + port).build();
        user = "user-" + UUID.randomUUID();
    }

    @Test
    void withoutATokenItIs401AndWithoutTheVerifyScopeItIs403() {
        assertThat(post(null, "{\"key\": \"x\"}").getStatusCode().value()).isEqualTo(401);
        assertThat(post(TestTokens.bearer("gateway"), "{\"key\": \"x\"}").getStatusCode().value()).isEqualTo(403);
        assertThat(post(TestTokens.bearer("gateway", "apikeys:admin"), "{\"key\": \"x\"}").getStatusCode().value())
                .isEqualTo(403);
    }

    @Test
    void aKeyIsValidRightAfterItsCreationCommittedElsewhere() throws Exception {
        String key = newKey();
        UUID keyId = UUID.randomUUID();
        Instant expiresAt = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        appendElsewhere(event(keyId, 0, new ApiKeyCreated(keyId, user, "org-1", "ci", key.substring(0, 8),
                ApiKeyFormat.sha256Hex(key), List.of("models:read"), expiresAt, Instant.now(), null)));

        JsonNode answer = verify(key, List.of("models:read"));

        assertThat(answer.path("valid").asBoolean()).isTrue();
        assertThat(answer.path("code").asText()).isEqualTo("VALID");
        assertThat(answer.path("key_id").asText()).isEqualTo(keyId.toString());
        assertThat(answer.path("user_id").asText()).isEqualTo(user);
        assertThat(answer.path("organization_id").asText()).isEqualTo("org-1");
        assertThat(answer.path("scopes")).hasSize(1);
        assertThat(Instant.parse(answer.path("expires_at").asText())).isEqualTo(expiresAt);
    }

    @Test
    void everyChangeCommittedElsewhereIsHonouredByTheVerifyThatFollowsIt() throws Exception {
        String key = newKey();
        UUID keyId = created(key, List.of());
        long sequence = 1;
        for (int round = 0; round < 25; round++) {
            appendElsewhere(event(keyId, sequence++, new ApiKeyDisabled(keyId, user, Instant.now())));
            assertThat(verify(key, List.of()).path("code").asText()).as("round %d", round).isEqualTo("DISABLED");
            appendElsewhere(event(keyId, sequence++, new ApiKeyEnabled(keyId, user, Instant.now())));
            assertThat(verify(key, List.of()).path("code").asText()).as("round %d", round).isEqualTo("VALID");
        }
        appendElsewhere(event(keyId, sequence, new ApiKeyDeleted(keyId, user, Instant.now())));

        JsonNode answer = verify(key, List.of());

        assertThat(answer.path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(fieldNames(answer)).containsExactlyInAnyOrder("valid", "code");
    }

    @Test
    void aValidVerificationIsRecordedAsOneUsageFactPerIntervalAndShownInGet() throws Exception {
        String key = newKey();
        UUID keyId = created(key, List.of());
        long start = System.nanoTime();
        Instant beforeLast = null;

        for (int i = 0; i < 20; i++) {
            beforeLast = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            assertThat(verify(key, List.of()).path("code").asText()).isEqualTo("VALID");
        }
        Duration verifying = Duration.ofNanos(System.nanoTime() - start);

        Instant lastVerification = beforeLast;
        List<ApiKeyUsed> used = await().atMost(Duration.ofSeconds(10)).until(() -> usageOf(keyId),
                facts -> !facts.isEmpty() && !facts.get(facts.size() - 1).lastUsedAt().isBefore(lastVerification));
        // One fact per started interval of 300 ms at most, and the first comes at once.
        assertThat(used).hasSizeLessThanOrEqualTo((int) (verifying.toMillis() / 300) + 2);
        assertThat(used).allSatisfy(fact -> {
            assertThat(fact.keyId()).isEqualTo(keyId);
            assertThat(fact.userId()).isEqualTo(user);
        });
        Instant lastUsedAt = used.get(used.size() - 1).lastUsedAt();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Instant.parse(onlyKeyOf(user).path("last_used_at").asText())).isEqualTo(lastUsedAt));
    }

    @Test
    void verificationsThatAreNotValidRecordNoUsage() throws Exception {
        String key = newKey();
        UUID keyId = created(key, List.of("models:read"));
        assertThat(verify(key, List.of("models:write")).path("code").asText()).isEqualTo("INSUFFICIENT_SCOPES");
        appendElsewhere(event(keyId, 1, new ApiKeyDisabled(keyId, user, Instant.now())));
        assertThat(verify(key, List.of()).path("code").asText()).isEqualTo("DISABLED");

        // A valid verification of another key, recorded after both: by then these would have been too.
        String other = newKey();
        UUID otherId = created(other, List.of());
        assertThat(verify(other, List.of()).path("code").asText()).isEqualTo("VALID");
        await().atMost(Duration.ofSeconds(10)).until(() -> !usageOf(otherId).isEmpty());

        assertThat(usageOf(keyId)).isEmpty();
    }

    @Test
    void theLookupTableHoldsWhatAFreshInstanceStartsFrom() throws Exception {
        String key = newKey();
        UUID keyId = created(key, List.of("models:read"));
        appendElsewhere(event(keyId, 1, new ApiKeyDisabled(keyId, user, Instant.now())));
        assertThat(verify(key, List.of()).path("code").asText()).isEqualTo("DISABLED");

        // As another instance starting now would: the table, then the store after every segment's position.
        VerifiableKeys keys = new VerifiableKeys();
        VerifiableKeysFeed feed = new VerifiableKeysFeed(eventStore, tokens, jdbc, transaction, keys);
        feed.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                KeyState known = keys.find(ApiKeyFormat.sha256Hex(key));
                return known != null && known.disabled() && known.position().lifecycle() == 1;
            });
        } finally {
            feed.stop();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<KeyState> rows = new java.util.ArrayList<>();
            KeyStates.forEachVerifiable(jdbc, transaction, row -> {
                if (row.keyId().equals(keyId)) {
                    rows.add(row);
                }
            });
            return rows.size() == 1 && rows.get(0).disabled() && rows.get(0).position().lifecycle() == 1;
        });
    }

    /** A deleted key costs no memory: this instance forgets it, and a fresh one never loads it; the same scopes are one list. */
    @Test
    void aDeletedKeyLeavesMemoryAndIsNotLoadedAgain() throws Exception {
        String key = newKey();
        UUID keyId = created(key, List.of());
        UUID liveId = created(newKey(), List.of("models:read"));
        UUID twinId = created(newKey(), List.of("models:read"));
        assertThat(verify(key, List.of()).path("code").asText()).isEqualTo("VALID");
        appendElsewhere(event(keyId, 1, new ApiKeyDeleted(keyId, user, Instant.now())));
        assertThat(verify(key, List.of()).path("code").asText()).isEqualTo("NOT_FOUND");

        await().atMost(Duration.ofSeconds(10)).until(() -> keysInMemory.byId(keyId) == null);
        assertThat(keysInMemory.find(ApiKeyFormat.sha256Hex(key))).isNull();

        // A fresh instance loads the read model's keys, the deleted one among its rows, before it follows the store.
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("select count(*) from read_model.api_key"
                + " where id = ? and deleted or id in (?, ?) and not deleted", Long.class, keyId, liveId, twinId) == 3);
        VerifiableKeys keys = new VerifiableKeys();
        KeyStates.forEachVerifiable(jdbc, transaction, keys::load);
        assertThat(keys.byId(liveId).scopes()).containsExactly("models:read")
                .as("one list for the same scopes").isSameAs(keys.byId(twinId).scopes());
        assertThat(keys.byId(keyId)).isNull();
    }

    private UUID created(String key, List<String> scopes) {
        UUID keyId = UUID.randomUUID();
        appendElsewhere(event(keyId, 0, new ApiKeyCreated(keyId, user, null, "ci", key.substring(0, 8),
                ApiKeyFormat.sha256Hex(key), scopes, null, Instant.now(), null)));
        return keyId;
    }

    private List<ApiKeyUsed> usageOf(UUID keyId) {
        return eventStore.readEvents(ApiKeyUsageStream.of(keyId)).asStream()
                .map(event -> (ApiKeyUsed) event.getPayload())
                .toList();
    }

    private JsonNode onlyKeyOf(String userId) throws Exception {
        String body = http.get().uri("/api/v1/me/apikeys")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(userId))
                .retrieve().body(String.class);
        JsonNode keys = json.readTree(body);
        assertThat(keys).hasSize(1);
        return keys.get(0);
    }

    private JsonNode verify(String key, List<String> requiredScopes) throws Exception {
        ResponseEntity<String> answer = post(TestTokens.bearer("gateway", "apikeys:verify"),
                json.writeValueAsString(java.util.Map.of("key", key, "required_scopes", requiredScopes)));
        assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(200);
        return json.readTree(answer.getBody());
    }

    private ResponseEntity<String> post(String authorization, String body) {
        RestClient.RequestBodySpec request = http.post().uri(VERIFY).contentType(MediaType.APPLICATION_JSON);
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return request.body(body)
                .exchange((sent, answer) -> ResponseEntity.status(answer.getStatusCode())
                        .body(new String(answer.getBody().readAllBytes(), StandardCharsets.UTF_8)));
    }

    /** Appends in its own committed transaction, without the local event store noticing. */
    private void appendElsewhere(DomainEventMessage<?>... events) {
        EventsElsewhere.append(transaction, storageEngine, events);
    }

    private DomainEventMessage<?> event(UUID keyId, long sequence, Object payload) {
        return EventsElsewhere.ofKey(keyId, sequence, payload, user);
    }

    private static String newKey() {
        StringBuilder body = new StringBuilder(ApiKeyFormat.PREFIX);
        for (int i = 0; i < ApiKeyFormat.RANDOM_LENGTH; i++) {
            body.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
        }
        return body + ApiKeyFormat.checksum(body.toString());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
