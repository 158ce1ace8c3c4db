package dev.apikeys.command;

import dev.apikeys.events.KeySettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The command side over HTTP on a real PostgreSQL, as two instances sharing one database: the
 * test's own context and a second one started beside it. Booting at all proves the migrations
 * match what Hibernate validates.
 */
@SpringBootTest(classes = CommandSideApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CommandSideHttpTest {

    private static final String SECRET = "command-side-test-secret-of-at-least-32-bytes";
    private static final int MAX_KEYS = 3;
    private static final int TOGGLES = 100;
    private static final String BASE = "/api/v1/me/apikeys";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Logger log = LoggerFactory.getLogger(CommandSideHttpTest.class);
    private static final EmbeddedPostgres POSTGRES = startPostgres();

    private static ConfigurableApplicationContext secondInstance;
    private static JdbcTemplate database;

    @LocalServerPort
    private int port;

    @Autowired
    private CommandGateway commandGateway;

    @Autowired
    private EventStore eventStore;

    @Autowired
    private PlatformTransactionManager transactionManager;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        instanceProperties().forEach((name, value) -> registry.add(name, () -> value));
    }

    private static Map<String, String> instanceProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", POSTGRES.getJdbcUrl("postgres", "postgres"));
        properties.put("spring.datasource.username", "postgres");
        properties.put("spring.datasource.password", "");
        properties.put("apikeys.security.hmac-secret", SECRET);
        properties.put("apikeys.max-keys-per-user", String.valueOf(MAX_KEYS));
        return properties;
    }

    @BeforeAll
    static void startSecondInstance() {
        Map<String, String> properties = new LinkedHashMap<>(instanceProperties());
        properties.put("server.port", "0");
        // Command-line arguments, so they win over application.yml as the test's own properties do.
        secondInstance = new SpringApplicationBuilder(CommandSideApplication.class).run(properties.entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue())
                .toArray(String[]::new));
        database = new JdbcTemplate(POSTGRES.getPostgresDatabase());
    }

    @AfterAll
    static void stopSecondInstance() {
        secondInstance.close();
    }

    @Test
    void createsTogglesAndDeletesAKey() throws IOException {
        String user = newUser();
        String correlationId = "req-" + UUID.randomUUID();

        HttpResponse<String> created = send(port, "POST", BASE, token(user, "org-1"),
                "{\"name\":\"  deploy bot \",\"scopes\":[\"models:read\",\"workflows:*\",\"models:read\"],"
                        + "\"organization_id\":\"org-1\",\"expires_in_days\":30,\"user_id\":\"mallory\"}",
                correlationId);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode key = JSON.readTree(created.body());
        String id = key.get("id").asText();
        String plaintext = key.get("key").asText();
        assertThat(created.headers().firstValue("Location")).hasValue(BASE + "/" + id);
        assertThat(fieldNames(key)).containsExactly("id", "name", "key_prefix", "key", "scopes", "expires_at");
        assertThat(key.get("name").asText()).isEqualTo("deploy bot");
        assertThat(plaintext).matches("sk_[0-9A-Za-z]{38}");
        assertThat(key.get("key_prefix").asText()).isEqualTo(plaintext.substring(0, 8));
        assertThat(JSON.convertValue(key.get("scopes"), List.class)).containsExactly("models:read", "workflows:*");
        Instant expiresAt = Instant.parse(key.get("expires_at").asText());
        assertThat(expiresAt).isBetween(Instant.now().plus(Duration.ofDays(30)).minusSeconds(60),
                Instant.now().plus(Duration.ofDays(30)));

        HttpResponse<String> disabled = send(port, "PUT", BASE + "/" + id, token(user), "{\"disabled\":false}", null);
        assertThat(disabled.statusCode()).isEqualTo(200);
        JsonNode state = JSON.readTree(disabled.body());
        assertThat(fieldNames(state)).containsExactly("id", "created_at", "updated_at", "user_id", "organization_id",
                "name", "key_prefix", "scopes", "last_used_at", "expires_at", "disabled", "metadata", "allowed_cidrs",
                "rate_limit", "credits");
        assertThat(state.get("id").asText()).isEqualTo(id);
        assertThat(state.get("user_id").asText()).isEqualTo(user);
        assertThat(state.get("organization_id").asText()).isEqualTo("org-1");
        assertThat(state.get("name").asText()).isEqualTo("deploy bot");
        assertThat(state.get("key_prefix").asText()).isEqualTo(plaintext.substring(0, 8));
        assertThat(JSON.convertValue(state.get("scopes"), List.class)).containsExactly("models:read", "workflows:*");
        assertThat(state.get("last_used_at").isNull()).isTrue();
        assertThat(Instant.parse(state.get("expires_at").asText())).isEqualTo(expiresAt);
        assertThat(state.get("disabled").asBoolean()).isTrue();
        assertThat(Instant.parse(state.get("updated_at").asText()))
                .isAfter(Instant.parse(state.get("created_at").asText()));

        HttpResponse<String> enabled = send(port, "PUT", BASE + "/" + id, token(user), null, null);
        assertThat(enabled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(enabled.body()).get("disabled").asBoolean()).isFalse();

        assertThat(send(port, "DELETE", BASE + "/" + id, token(user), null, null).statusCode()).isEqualTo(204);
        assertThat(send(port, "PUT", BASE + "/" + id, token(user), null, null).statusCode()).isEqualTo(404);
        assertThat(send(port, "DELETE", BASE + "/" + id, token(user), null, null).statusCode()).isEqualTo(404);

        assertThat(database.queryForList("select payload_type from event_store.domain_event_entry"
                + " where aggregate_identifier = ? order by sequence_number", String.class, id))
                .containsExactly("dev.apikeys.events.ApiKeyCreated", "dev.apikeys.events.ApiKeyDisabled",
                        "dev.apikeys.events.ApiKeyEnabled", "dev.apikeys.events.ApiKeyDeleted");
    }

    @Test
    void storesTheHashAndTheCallersMetadataNeverThePlaintext() throws IOException {
        String user = newUser();
        String correlationId = "req-" + UUID.randomUUID();
        JsonNode key = JSON.readTree(send(port, "POST", BASE, token(user), "{}", correlationId).body());
        String id = key.get("id").asText();
        String plaintext = key.get("key").asText();

        Map<String, Object> stored = database.queryForMap("select convert_from(payload, 'UTF8') as payload,"
                + " convert_from(meta_data, 'UTF8')::jsonb ->> 'actor_id' as actor_id,"
                + " convert_from(meta_data, 'UTF8')::jsonb ->> 'correlation_id' as correlation_id"
                + " from event_store.domain_event_entry where aggregate_identifier = ?", id);

        assertThat((String) stored.get("payload")).doesNotContain(plaintext)
                .contains(sha256Hex(plaintext));
        assertThat(stored.get("actor_id")).isEqualTo(user);
        assertThat(stored.get("correlation_id")).isEqualTo(correlationId);
        assertThat(database.queryForObject("select count(*) from event_store.domain_event_entry"
                + " where convert_from(payload, 'UTF8') like ? or convert_from(meta_data, 'UTF8') like ?",
                Integer.class, "%" + plaintext + "%", "%" + plaintext + "%")).isZero();
    }

    @Test
    void answersTheSame404ForSomeoneElsesADeletedAndAnUnknownKey() throws IOException {
        String owner = newUser();
        String stranger = newUser();
        String othersKey = createKey(port, owner);
        String deletedKey = createKey(port, stranger);
        assertThat(send(port, "DELETE", BASE + "/" + deletedKey, token(stranger), null, null).statusCode()).isEqualTo(204);
        String unknownKey = UUID.randomUUID().toString();

        List<HttpResponse<String>> answers = new ArrayList<>();
        for (String id : List.of(othersKey, deletedKey, unknownKey)) {
            answers.add(send(port, "PUT", BASE + "/" + id, token(stranger), null, null));
            answers.add(send(port, "DELETE", BASE + "/" + id, token(stranger), null, null));
            answers.add(send(port, "POST", BASE + "/" + id + "/rotate", token(stranger), null, null));
        }

        // Only "instance", the path the caller asked for, may differ.
        JsonNode first = withoutInstance(answers.get(0));
        assertThat(first.get("status").asInt()).isEqualTo(404);
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(answer.body()).get("instance").asText()).isEqualTo(answer.uri().getPath());
            assertThat(withoutInstance(answer)).isEqualTo(first);
        }
        assertThat(send(port, "PUT", BASE + "/" + othersKey, token(owner), null, null).statusCode()).isEqualTo(200);
        assertThat(liveKeys(stranger)).isZero();
    }

    @Test
    void refusesAMalformedIdWith400() throws IOException {
        for (String id : List.of("not-a-uuid", "6f1c1f5e3d2a4b7e9a511c2d3e4f5a6b", "6f1c1f5e-3d2a-4b7e-9a51-1c2d3e4f5a6")) {
            for (HttpResponse<String> answer : List.of(
                    send(port, "PUT", BASE + "/" + id, token(newUser()), null, null),
                    send(port, "POST", BASE + "/" + id + "/rotate", token(newUser()), "{}", null))) {
                assertThat(answer.statusCode()).isEqualTo(400);
                assertThat(JSON.readTree(answer.body()).get("errors").get(0).get("field").asText()).isEqualTo("id");
            }
        }
    }

    @Test
    void validatesTheCreateRequest() throws IOException {
        String user = newUser();

        HttpResponse<String> invalid = send(port, "POST", BASE, token(user),
                "{\"name\":7,\"scopes\":[\"Bad\"],\"expires_in_days\":4000}", null);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).get("errors").findValuesAsText("field"))
                .containsExactly("name", "scopes[0]", "expires_in_days");

        assertThat(send(port, "POST", BASE, token(user, "org-1"), "{\"organization_id\":\"org-2\"}", null).statusCode())
                .isEqualTo(403);
        assertThat(send(port, "POST", BASE, token(user), "{\"name\":", null).statusCode()).isEqualTo(400);

        HttpResponse<String> noBody = send(port, "POST", BASE, token(user), null, null);
        assertThat(noBody.statusCode()).isEqualTo(201);
        JsonNode key = JSON.readTree(noBody.body());
        assertThat(key.get("name").asText()).isEmpty();
        assertThat(key.get("scopes").size()).isZero();
        assertThat(key.get("expires_at").isNull()).isTrue();
    }

    @Test
    void aRequestWithThousandsOfBadFieldsGetsTheFirstHundredListedAndACountOfTheRest() throws IOException {
        String scopes = IntStream.range(0, 5_000).mapToObj(i -> "\"Bad" + i + "\"")
                .collect(Collectors.joining(",", "[", "]"));

        HttpResponse<String> invalid = send(port, "POST", BASE, token(newUser()), "{\"scopes\":" + scopes + "}", null);

        assertThat(invalid.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(invalid.body());
        assertThat(problem.get("errors").findValuesAsText("field")).hasSize(100).startsWith("scopes[0]", "scopes[1]");
        assertThat(problem.get("errors_not_listed").asInt()).isEqualTo(5_000 - 100);
        assertThat(invalid.body().length()).isLessThan(10_000);
    }

    @Test
    void rotatesAKeyIntoACopyWithAFreshSecretAndAGracePeriodForTheOldOne() throws IOException {
        String user = newUser();
        String correlationId = "req-" + UUID.randomUUID();
        JsonNode old = JSON.readTree(send(port, "POST", BASE, token(user, "org-1"),
                "{\"name\":\"deploy bot\",\"scopes\":[\"models:read\"],\"organization_id\":\"org-1\","
                        + "\"expires_in_days\":30}", null).body());
        String oldId = old.get("id").asText();

        Instant before = Instant.now();
        HttpResponse<String> rotated = send(port, "POST", BASE + "/" + oldId + "/rotate", token(user),
                "{\"grace_period_seconds\":3600,\"user_id\":\"mallory\"}", correlationId);
        Instant after = Instant.now();

        assertThat(rotated.statusCode()).isEqualTo(201);
        assertThat(rotated.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode key = JSON.readTree(rotated.body());
        String newId = key.get("id").asText();
        String plaintext = key.get("key").asText();
        assertThat(newId).isNotEqualTo(oldId);
        assertThat(rotated.headers().firstValue("Location")).hasValue(BASE + "/" + newId);
        assertThat(fieldNames(key)).containsExactly("id", "name", "key_prefix", "key", "scopes", "expires_at");
        assertThat(plaintext).matches("sk_[0-9A-Za-z]{38}").isNotEqualTo(old.get("key").asText());
        assertThat(key.get("key_prefix").asText()).isEqualTo(plaintext.substring(0, 8));
        assertThat(key.get("name")).isEqualTo(old.get("name"));
        assertThat(key.get("scopes")).isEqualTo(old.get("scopes"));
        assertThat(key.get("expires_at")).isEqualTo(old.get("expires_at"));

        JsonNode newKey = JSON.readTree(send(port, "PUT", BASE + "/" + newId, token(user), null, null).body());
        assertThat(newKey.get("user_id").asText()).isEqualTo(user);
        assertThat(newKey.get("organization_id").asText()).isEqualTo("org-1");
        assertThat(newKey.get("key_prefix")).isEqualTo(key.get("key_prefix"));
        JsonNode oldKey = JSON.readTree(send(port, "PUT", BASE + "/" + oldId, token(user), null, null).body());
        assertThat(Instant.parse(oldKey.get("expires_at").asText()))
                .isBetween(before.plusSeconds(3600).minusMillis(1), after.plusSeconds(3600));
        assertThat(liveKeys(user)).isEqualTo(2);

        assertThat(database.queryForList("select payload_type from event_store.domain_event_entry"
                + " where aggregate_identifier = ? order by sequence_number", String.class, oldId))
                .containsExactly("dev.apikeys.events.ApiKeyCreated", "dev.apikeys.events.ApiKeyRotated",
                        "dev.apikeys.events.ApiKeyDisabled");
        Map<String, Object> rotation = database.queryForMap("select convert_from(payload, 'UTF8')::jsonb ->> 'replacedBy'"
                + " as replaced_by, convert_from(meta_data, 'UTF8')::jsonb ->> 'correlation_id' as correlation_id"
                + " from event_store.domain_event_entry where aggregate_identifier = ? and sequence_number = 1", oldId);
        assertThat(rotation).containsEntry("replaced_by", newId).containsEntry("correlation_id", correlationId);
        Map<String, Object> issue = database.queryForMap("select convert_from(payload, 'UTF8') as payload,"
                + " convert_from(payload, 'UTF8')::jsonb ->> 'rotatedFrom' as rotated_from,"
                + " convert_from(meta_data, 'UTF8')::jsonb ->> 'actor_id' as actor_id,"
                + " convert_from(meta_data, 'UTF8')::jsonb ->> 'correlation_id' as correlation_id"
                + " from event_store.domain_event_entry where aggregate_identifier = ? and sequence_number = 0", newId);
        assertThat(issue).containsEntry("rotated_from", oldId).containsEntry("actor_id", user)
                .containsEntry("correlation_id", correlationId);
        assertThat((String) issue.get("payload")).doesNotContain(plaintext).contains(sha256Hex(plaintext));
    }

    @Test
    void rotatingWithoutAGracePeriodEndsTheOldKeyAtOnceSoItCannotBeRotatedAgain() throws IOException {
        String user = newUser();
        String first = createKey(port, user);

        for (String noGrace : new String[] {null, "", "{}", "{\"grace_period_seconds\":null}"}) {
            Instant before = Instant.now();
            HttpResponse<String> rotated = send(port, "POST", BASE + "/" + first + "/rotate", token(user), noGrace, null);
            assertThat(rotated.statusCode()).as("body %s", noGrace).isEqualTo(201);
            String next = JSON.readTree(rotated.body()).get("id").asText();

            HttpResponse<String> again = send(port, "POST", BASE + "/" + first + "/rotate", token(user), null, null);
            assertThat(again.statusCode()).isEqualTo(409);
            JsonNode problem = JSON.readTree(again.body());
            assertThat(problem.get("type").asText()).isEqualTo("/problems/api-key-not-rotatable");
            assertThat(problem.get("detail").asText()).contains("expired");
            JsonNode ended = JSON.readTree(send(port, "PUT", BASE + "/" + first, token(user), null, null).body());
            assertThat(Instant.parse(ended.get("expires_at").asText())).isBetween(before.minusMillis(1), Instant.now());
            assertThat(send(port, "DELETE", BASE + "/" + first, token(user), null, null).statusCode()).isEqualTo(204);
            first = next;
        }
    }

    @Test
    void validatesTheGracePeriod() throws IOException {
        String user = newUser();
        String id = createKey(port, user);

        Map<String, String> invalid = new LinkedHashMap<>();
        invalid.put("{\"grace_period_seconds\":-1}", "grace_period_seconds");
        invalid.put("{\"grace_period_seconds\":604801}", "grace_period_seconds");
        invalid.put("{\"grace_period_seconds\":1.5}", "grace_period_seconds");
        invalid.put("{\"grace_period_seconds\":\"10\"}", "grace_period_seconds");
        invalid.put("{\"grace_period_seconds\":true}", "grace_period_seconds");
        invalid.put("[]", "body");
        invalid.put("3600", "body");
        for (Map.Entry<String, String> body : invalid.entrySet()) {
            HttpResponse<String> answer = send(port, "POST", BASE + "/" + id + "/rotate", token(user), body.getKey(), null);
            assertThat(answer.statusCode()).as("body %s", body.getKey()).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(answer.body()).get("errors").findValuesAsText("field"))
                    .as("body %s", body.getKey()).containsExactly(body.getValue());
        }
        assertThat(send(port, "POST", BASE + "/" + id + "/rotate", token(user), "{\"grace_period_seconds\":", null)
                .statusCode()).isEqualTo(400);

        assertThat(database.queryForObject("select count(*) from event_store.domain_event_entry"
                + " where aggregate_identifier = ?", Integer.class, id)).isEqualTo(1);
        assertThat(liveKeys(user)).isEqualTo(1);
    }

    @Test
    void refusesToRotateADisabledKeyWith409() throws IOException {
        String user = newUser();
        String id = createKey(port, user);
        assertThat(send(port, "PUT", BASE + "/" + id, token(user), null, null).statusCode()).isEqualTo(200);

        HttpResponse<String> refused = send(port, "POST", BASE + "/" + id + "/rotate", token(user), "{}", null);

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.get("type").asText()).isEqualTo("/problems/api-key-not-rotatable");
        assertThat(problem.get("title").asText()).isEqualTo("API key cannot be rotated");
        assertThat(problem.get("detail").asText()).contains("disabled");
        assertThat(liveKeys(user)).isEqualTo(1);
    }

    @Test
    void aRotationCountsAgainstTheQuotaAndIsRefusedAtTheLimit() throws IOException {
        String user = newUser();
        String id = createKey(port, user);
        for (int i = 1; i < MAX_KEYS; i++) {
            createKey(port, user);
        }

        HttpResponse<String> refused = send(port, "POST", BASE + "/" + id + "/rotate", token(user), "{}", null);

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body()).get("type").asText()).isEqualTo("/problems/api-key-quota-exceeded");
        assertThat(database.queryForObject("select count(*) from event_store.domain_event_entry"
                + " where aggregate_identifier = ?", Integer.class, id)).isEqualTo(1);
        assertThat(liveKeys(user)).isEqualTo(MAX_KEYS);
    }

    @Test
    void theToggleAnswersWithTheLatestUseFromTheKeysUsageStream() throws IOException {
        String user = newUser();
        UUID id = UUID.fromString(createKey(port, user));
        Instant firstUse = Instant.parse("2025-06-01T08:00:00.123Z");
        Instant latestUse = Instant.parse("2025-06-01T08:05:00.456Z");

        // As the query side records usage: the key's usage stream, beside the key's own.
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> eventStore.publish(
                new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE, ApiKeyUsageStream.of(id), 0,
                        new ApiKeyUsed(id, user, firstUse)),
                new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE, ApiKeyUsageStream.of(id), 1,
                        new ApiKeyUsed(id, user, latestUse))));
        HttpResponse<String> toggled = send(port, "PUT", BASE + "/" + id, token(user), null, null);

        assertThat(toggled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(toggled.body()).get("last_used_at").asText()).isEqualTo(latestUse.toString());
        assertThat(database.queryForObject("select count(*) from event_store.domain_event_entry"
                + " where aggregate_identifier = ?", Integer.class, id.toString())).isEqualTo(2);
    }

    @Test
    void refusesAnonymousCallers() throws IOException {
        assertThat(send(port, "POST", BASE, null, "{}", null).statusCode()).isEqualTo(401);
    }

    @Test
    void twoInstancesCannotBothTakeTheLastPlaceInTheQuota() throws Exception {
        String user = newUser();
        for (int i = 1; i < MAX_KEYS; i++) {
            createKey(port, user);
        }

        List<HttpResponse<String>> answers;
        // Hold the user's quota row until both creates wait on it, so they truly meet at the last
        // place: a check-then-increment would then let both through.
        try (Connection holder = POSTGRES.getPostgresDatabase().getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement(
                    "select live_keys from event_store.key_quota where user_id = ? for update")) {
                lock.setString(1, user);
                lock.executeQuery().close();
            }
            List<CompletableFuture<HttpResponse<String>>> pending = startConcurrently(List.of(
                    () -> send(port, "POST", BASE, token(user), "{}", null),
                    () -> send(secondPort(), "POST", BASE, token(user), "{}", null)));
            await().atMost(Duration.ofSeconds(30)).until(() -> database.queryForObject(
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock'", Integer.class) >= 2);
            holder.commit();
            answers = pending.stream().map(CompletableFuture::join).toList();
        }

        assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(201, 409);
        HttpResponse<String> refused = answers.stream().filter(a -> a.statusCode() == 409).findFirst().orElseThrow();
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(liveKeys(user)).isEqualTo(MAX_KEYS);

        String created = JSON.readTree(answers.stream().filter(a -> a.statusCode() == 201).findFirst().orElseThrow()
                .body()).get("id").asText();
        assertThat(send(secondPort(), "DELETE", BASE + "/" + created, token(user), null, null).statusCode()).isEqualTo(204);
        assertThat(liveKeys(user)).isEqualTo(MAX_KEYS - 1);
        assertThat(send(port, "POST", BASE, token(user), "{}", null).statusCode()).isEqualTo(201);
    }

    /**
     * Taken after the commits on one instance, read by a load on the other: what the snapshot says
     * (its name marked by hand here) is what the key is, and the events after it are applied.
     */
    @Test
    void aKeyWithALongPastIsLoadedFromItsSnapshot() throws IOException {
        String user = newUser();
        HttpResponse<String> created = send(port, "POST", BASE, token(user, "org-1"),
                "{\"name\":\"long past\",\"scopes\":[\"models:read\"],\"organization_id\":\"org-1\","
                        + "\"expires_in_days\":30}", null);
        String id = JSON.readTree(created.body()).get("id").asText();
        JsonNode state = null;
        int toggles = 2 * CommandSideConfiguration.SNAPSHOT_AFTER_EVENTS + 10;
        for (int toggle = 1; toggle <= toggles; toggle++) {
            HttpResponse<String> toggled = send(port, "PUT", BASE + "/" + id, token(user), null, null);
            assertThat(toggled.statusCode()).isEqualTo(200);
            state = JSON.readTree(toggled.body());
        }
        long snapshotAt = await().atMost(Duration.ofSeconds(10)).until(() -> database.queryForObject(
                "select coalesce(max(sequence_number), -1) from event_store.snapshot_event_entry"
                        + " where aggregate_identifier = ?", Long.class, id),
                at -> at >= CommandSideConfiguration.SNAPSHOT_AFTER_EVENTS);
        assertThat(snapshotAt).isLessThan(toggles);
        database.update("update event_store.snapshot_event_entry set payload = convert_to(replace("
                + "convert_from(payload, 'UTF8'), '\"long past\"', '\"from the snapshot\"'), 'UTF8')"
                + " where aggregate_identifier = ?", id);

        HttpResponse<String> onTheOther = send(secondPort(), "PUT", BASE + "/" + id, token(user), null, null);

        assertThat(onTheOther.statusCode()).isEqualTo(200);
        JsonNode loaded = JSON.readTree(onTheOther.body());
        assertThat(loaded.get("name").asText()).isEqualTo("from the snapshot");
        assertThat(loaded.get("disabled").asBoolean()).as("toggled once more than an even number of times").isTrue();
        for (String field : List.of("id", "created_at", "user_id", "organization_id", "key_prefix", "scopes",
                "expires_at")) {
            assertThat(loaded.get(field)).as(field).isEqualTo(state.get(field));
        }
    }

    @Test
    void hundredConcurrentTogglesOnTwoInstancesAllSucceedAndAllApply() throws IOException {
        String user = newUser();
        String id = createKey(port, user);

        long start = System.nanoTime();
        List<HttpResponse<String>> answers = concurrently(IntStream.range(0, TOGGLES)
                .<ThrowingRequest>mapToObj(i -> () -> send(i % 2 == 0 ? port : secondPort(), "PUT", BASE + "/" + id,
                        token(user), null, null))
                .toList());
        log.info("{} concurrent toggles on two instances answered in {} ms", TOGGLES,
                Duration.ofNanos(System.nanoTime() - start).toMillis());

        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(200).hasSize(TOGGLES);
        // Each answer shows the state its own toggle left: half of them disabled, half enabled.
        assertThat(answers).filteredOn(answer -> readTree(answer).get("disabled").asBoolean()).hasSize(TOGGLES / 2);
        List<Map<String, Object>> events = database.queryForList("select sequence_number, payload_type"
                + " from event_store.domain_event_entry where aggregate_identifier = ? order by sequence_number", id);
        assertThat(events).extracting(event -> ((Number) event.get("sequence_number")).longValue())
                .containsExactlyElementsOf(LongStream.rangeClosed(0, TOGGLES).boxed().toList());
        // Each toggle decided on the state the one before left: the flips alternate, none is lost,
        // and the last one leaves the key disabled exactly when the number of toggles is odd.
        assertThat(events.subList(1, events.size())).extracting(event -> event.get("payload_type"))
                .containsExactlyElementsOf(IntStream.range(0, TOGGLES)
                        .mapToObj(i -> i % 2 == 0 ? "dev.apikeys.events.ApiKeyDisabled" : "dev.apikeys.events.ApiKeyEnabled")
                        .toList());
        assertThat(events.get(TOGGLES).get("payload_type")).isEqualTo(TOGGLES % 2 == 1
                ? "dev.apikeys.events.ApiKeyDisabled" : "dev.apikeys.events.ApiKeyEnabled");
    }

    @Test
    void aFailedAppendRollsTheQuotaBackWithIt() throws IOException {
        String user = newUser();
        String id = createKey(port, user);
        assertThat(liveKeys(user)).isEqualTo(1);

        CreateApiKey sameIdAgain = new CreateApiKey(UUID.fromString(id), user, null, "", "sk_AbCdE",
                sha256Hex("sk_x"), List.of(), null, KeySettings.NONE);
        assertThatThrownBy(() -> commandGateway.sendAndWait(sameIdAgain))
                .isInstanceOf(AggregateStreamCreationException.class);

        assertThat(liveKeys(user)).isEqualTo(1);
    }

    @Test
    void migrationsStorePayloadsAsByteaAndNumberEventsOneByOne() throws IOException {
        assertThat(database.queryForList("select table_name || '.' || column_name from information_schema.columns"
                + " where table_schema = 'event_store' and data_type = 'bytea' order by 1", String.class))
                .containsExactly("dead_letter_entry.diagnostics", "dead_letter_entry.meta_data",
                        "dead_letter_entry.payload", "dead_letter_entry.token", "domain_event_entry.meta_data",
                        "domain_event_entry.payload", "saga_entry.serialized_saga", "snapshot_event_entry.meta_data",
                        "snapshot_event_entry.payload", "token_entry.token");
        assertThat(database.queryForObject("select increment_by from pg_sequences"
                + " where schemaname = 'event_store' and sequencename = 'domain_event_entry_seq'", Long.class))
                .isEqualTo(1);

        // One instance creates, the other toggles: only a sequence handed out one by one (no blocks
        // preallocated per instance) numbers the two events consecutively.
        String user = newUser();
        String id = createKey(port, user);
        assertThat(send(secondPort(), "PUT", BASE + "/" + id, token(user), null, null).statusCode()).isEqualTo(200);
        List<Long> globalIndexes = database.queryForList("select global_index from event_store.domain_event_entry"
                + " where aggregate_identifier = ? order by sequence_number", Long.class, id);
        assertThat(globalIndexes).hasSize(2);
        assertThat(globalIndexes.get(1) - globalIndexes.get(0)).isEqualTo(1);
    }

    private static EmbeddedPostgres startPostgres() {
        try {
            return EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    private static int secondPort() {
        return ((WebServerApplicationContext) secondInstance).getWebServer().getPort();
    }

    private static Integer liveKeys(String user) {
        return database.queryForObject("select live_keys from event_store.key_quota where user_id = ?", Integer.class,
                user);
    }

    private static JsonNode readTree(HttpResponse<String> answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode withoutInstance(HttpResponse<String> problem) throws IOException {
        ObjectNode body = (ObjectNode) JSON.readTree(problem.body());
        body.remove("instance");
        return body;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String createKey(int port, String user) throws IOException {
        HttpResponse<String> created = send(port, "POST", BASE, token(user), "{}", null);
        assertThat(created.statusCode()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asText();
    }

    private static String token(String user, String... organizationIds) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(user)
                .claim("org_ids", List.of(organizationIds))
                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static HttpResponse<String> send(int port, String method, String path, String token, String json,
            String correlationId) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (correlationId != null) {
            request.header("X-Correlation-Id", correlationId);
        }
        try {
            return HTTP.send(request.build(), BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @FunctionalInterface
    private interface ThrowingRequest {
        HttpResponse<String> send() throws IOException;
    }

    /** Starts every request at once, each on its own thread, and waits for all the answers. */
    private static List<HttpResponse<String>> concurrently(List<ThrowingRequest> requests) {
        return startConcurrently(requests).stream().map(CompletableFuture::join).toList();
    }

    private static List<CompletableFuture<HttpResponse<String>>> startConcurrently(List<ThrowingRequest> requests) {
        return requests.stream()
                .map(request -> CompletableFuture.supplyAsync(() -> {
                    try {
                        return request.send();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, runnable -> new Thread(runnable).start()))
                .toList();
    }
}
