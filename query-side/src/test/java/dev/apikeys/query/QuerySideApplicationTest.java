package dev.apikeys.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.EventMetadata;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
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
                .containsExactly("1", "2");
        assertThat(readModelFlyway.info().pending()).isEmpty();
    }

    @Test
    void bothProcessorsRetryAFailingBatchInsteadOfSkippingIt() {
        for (String processor : List.of("apikey-read-model", "apikey-audit-publisher")) {
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
                "organization_id", "name", "key_prefix", "scopes", "last_used_at", "expires_at", "disabled");
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

    @Test
    void getWithoutATokenIsUnauthorized() {
        ResponseEntity<String> response = http.get().uri("/api/v1/me/apikeys")
                .exchange((request, answer) -> ResponseEntity.status(answer.getStatusCode())
                        .headers(answer.getHeaders()).body(""));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatusCode.valueOf(401));
        assertThat(response.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
    }

    private ResponseEntity<String> get(String userId) {
        return http.get().uri("/api/v1/me/apikeys")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(userId))
                .retrieve()
                .toEntity(String.class);
    }

    /** Appends in its own committed transaction, without the local event store noticing. */
    private void appendElsewhere(DomainEventMessage<?>... events) {
        transaction.executeWithoutResult(status -> storageEngine.appendEvents(List.of(events)));
    }

    private DomainEventMessage<?> event(UUID keyId, long sequence, Object payload) {
        return new GenericDomainEventMessage<>("ApiKey", keyId.toString(), sequence, payload,
                MetaData.with(EventMetadata.ACTOR_ID, user).and(EventMetadata.CORRELATION_ID, "test"));
    }

    private static ApiKeyCreated created(UUID keyId, String userId, String name, List<String> scopes,
            Instant expiresAt, Instant createdAt) {
        return new ApiKeyCreated(keyId, userId, null, name, "sk_abcde", "hash-of-" + keyId, scopes, expiresAt,
                createdAt);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
