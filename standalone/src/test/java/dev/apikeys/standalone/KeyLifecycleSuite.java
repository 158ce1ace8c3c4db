package dev.apikeys.standalone;

import static dev.apikeys.standalone.Api.KEYS;
import static dev.apikeys.standalone.JsonNodes.fieldNames;
import static dev.apikeys.standalone.JsonNodes.only;
import static dev.apikeys.standalone.JsonNodes.withoutInstance;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rule of the keys' API, authentication and audit stream, over HTTP as users call the
 * service, with Kafka read back: run against the standalone process ({@link ApiKeysEndToEndTest})
 * and against the scaled-out split deployment behind its gateway ({@link ScaleOutTest}).
 */
abstract class KeyLifecycleSuite {

    /** {@code apikeys.max-keys-per-user} of the deployment under test. */
    static final int MAX_KEYS = 5;

    /** The deployment's front door. */
    abstract Api api();

    /** The Kafka the deployment publishes its audit stream to. */
    abstract String bootstrapServers();

    private static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    // --- authentication ---------------------------------------------------------------------

    @Test
    void aRequestWithoutATokenIsAnsweredWith401AndABearerChallenge() {
        Api.Response response = api().get(KEYS, null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertProblem(response, 401);
    }

    @Test
    void expiredAndForeignTokensAreRefused() {
        assertThat(api().get(KEYS, Tokens.expiredFor("someone")).status()).isEqualTo(401);
        assertThat(api().get(KEYS, Tokens.signedWithAnotherSecret("someone")).status()).isEqualTo(401);
        assertThat(api().get(KEYS, "not-a-jwt").status()).isEqualTo(401);
    }

    @Test
    void healthIsOpenWithoutAToken() {
        Api.Response response = api().get("/actuator/health", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("status").asText()).isEqualTo("UP");
    }

    // --- create -----------------------------------------------------------------------------

    @Test
    void createAnswers201WithTheOnlyCopyOfAWellFormedKey() throws Exception {
        String token = Tokens.forUser(newUser());

        Api.Response response = api().post(KEYS, token, "{}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        JsonNode body = response.json();
        String id = body.get("id").asText();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(response.header("Location")).endsWith(KEYS + "/" + id);
        String key = body.get("key").asText();
        assertThat(key).matches("sk_[0-9A-Za-z]{38}");
        assertThat(key.substring(35)).isEqualTo(checksum(key.substring(0, 35)));
        assertThat(body.get("key_prefix").asText()).isEqualTo(key.substring(0, 8));
        assertThat(body.get("name").asText()).isEmpty();
        assertThat(body.get("scopes")).isEmpty();
        assertThat(body.get("expires_at").isNull()).isTrue();
        assertThat(fieldNames(body)).containsExactlyInAnyOrder("id", "name", "key_prefix", "key", "scopes", "expires_at");

        Api.Response listing = api().get(KEYS, token);
        assertThat(listing.body()).doesNotContain(key).doesNotContain(sha256(key));
    }

    @Test
    void createKeepsNameScopesOrganizationAndExpiry() {
        String user = newUser();
        String token = Tokens.forUser(user, "org-a", "org-b");
        Instant before = Instant.now();

        JsonNode created = api().create(token, """
                {"name": "  ci deploy  ", "scopes": ["models:read", "workflows:*", "models:read"],
                 "organization_id": "org-b", "expires_in_days": 30}""");

        assertThat(created.get("name").asText()).isEqualTo("ci deploy");
        assertThat(created.get("scopes")).extracting(JsonNode::asText).containsExactly("models:read", "workflows:*");
        Instant expiresAt = Instant.parse(created.get("expires_at").asText());
        assertThat(expiresAt).isBetween(before.plus(30, ChronoUnit.DAYS).minusSeconds(1), Instant.now().plus(30, ChronoUnit.DAYS));

        JsonNode listed = only(api().get(KEYS, token).json());
        assertThat(listed.get("id").asText()).isEqualTo(created.get("id").asText());
        assertThat(listed.get("user_id").asText()).isEqualTo(user);
        assertThat(listed.get("organization_id").asText()).isEqualTo("org-b");
        assertThat(listed.get("name").asText()).isEqualTo("ci deploy");
        assertThat(listed.get("key_prefix").asText()).isEqualTo(created.get("key_prefix").asText());
        assertThat(listed.get("scopes")).extracting(JsonNode::asText).containsExactly("models:read", "workflows:*");
        assertThat(Instant.parse(listed.get("expires_at").asText())).isEqualTo(expiresAt);
        assertThat(listed.get("last_used_at").isNull()).isTrue();
        assertThat(listed.get("disabled").asBoolean()).isFalse();
        assertThat(listed.get("created_at").asText()).endsWith("Z");
        assertThat(listed.get("updated_at").asText()).endsWith("Z");
        assertThat(fieldNames(listed)).containsExactlyInAnyOrder("id", "created_at", "updated_at", "user_id",
                "organization_id", "name", "key_prefix", "scopes", "last_used_at", "expires_at", "disabled", "metadata",
                "allowed_cidrs", "rate_limit", "credits");
    }

    @Test
    void fieldsTheCallerMayNotSetAreNeverApplied() {
        String user = newUser();
        String token = Tokens.forUser(user);
        String foreignId = UUID.randomUUID().toString();

        JsonNode created = api().create(token,
                "{\"user_id\": \"mallory\", \"id\": \"" + foreignId + "\", \"disabled\": true, \"key\": \"sk_mine\"}");

        assertThat(created.get("id").asText()).isNotEqualTo(foreignId);
        assertThat(created.get("key").asText()).isNotEqualTo("sk_mine");
        JsonNode listed = only(api().get(KEYS, token).json());
        assertThat(listed.get("user_id").asText()).isEqualTo(user);
        assertThat(listed.get("disabled").asBoolean()).isFalse();
        assertThat(api().get(KEYS, Tokens.forUser("mallory")).json()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\": 42}",
            "{\"name\": \"" + "x" + "\\u0007\"}",
            "{\"name\": \"tab\\tinside\"}",
            "{\"name\": \"half a pair \\ud800\"}",
            "{\"scopes\": \"models:read\"}",
            "{\"scopes\": [\"Models:read\"]}",
            "{\"scopes\": [\"models\"]}",
            "{\"scopes\": [\"models:read:write\"]}",
            "{\"scopes\": [\"models:\"]}",
            "{\"scopes\": [\"1models:read\"]}",
            "{\"scopes\": [null]}",
            "{\"scopes\": [7]}",
            "{\"expires_in_days\": -1}",
            "{\"expires_in_days\": 3651}",
            "{\"expires_in_days\": 1.5}",
            "{\"expires_in_days\": \"5\"}",
            "{\"organization_id\": 5}",
            "{\"name\": ",
            "[]",
            "\"just a string\""
    })
    void invalidCreateRequestsAnswer400ProblemsAndCreateNothing(String body) {
        String token = Tokens.forUser(newUser());

        Api.Response response = api().post(KEYS, token, body);

        assertThat(response.status()).as(body).isEqualTo(400);
        assertProblem(response, 400);
        assertThat(api().get(KEYS, token).json()).isEmpty();
    }

    @Test
    void validationNamesEveryBadField() {
        Api.Response response = api().post(KEYS, Tokens.forUser(newUser()),
                "{\"name\": \"" + "n".repeat(101) + "\", \"scopes\": [\"" + "s".repeat(60) + ":" + "r".repeat(10)
                        + "\"], \"expires_in_days\": 4000}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors")).extracting(error -> error.get("field").asText())
                .contains("name", "expires_in_days")
                .anyMatch(field -> field.startsWith("scopes"));
        assertThat(response.json().get("errors")).allSatisfy(error -> assertThat(error.get("message").asText()).isNotBlank());
    }

    @Test
    void limitsOfNameAndScopesAreInclusive() {
        String token = Tokens.forUser(newUser());
        List<String> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add("\"s" + i + ":read\"");
        }
        String longest = "a" + "b".repeat(30) + ":" + "c".repeat(32);

        assertThat(api().post(KEYS, token, "{\"name\": \"" + "n".repeat(100) + "\", \"scopes\": [" + String.join(",", fifty)
                + "], \"expires_in_days\": 3650}").status()).isEqualTo(201);
        assertThat(api().post(KEYS, token, "{\"scopes\": [\"" + longest + "\"]}").status()).isEqualTo(201);
        fifty.add("\"s50:read\"");
        assertThat(api().post(KEYS, token, "{\"scopes\": [" + String.join(",", fifty) + "]}").status()).isEqualTo(400);
        assertThat(api().post(KEYS, token, "{\"scopes\": [\"" + longest + "x\"]}").status()).isEqualTo(400);
    }

    @Test
    void anOrganizationTheCallerIsNotInIsForbidden() {
        String token = Tokens.forUser(newUser(), "org-a");

        Api.Response response = api().post(KEYS, token, "{\"organization_id\": \"org-z\"}");

        assertThat(response.status()).isEqualTo(403);
        assertProblem(response, 403);
        assertThat(api().get(KEYS, token).json()).isEmpty();
    }

    @Test
    void anythingButJsonIsUnsupportedMediaType() {
        Api.Response response = api().send("POST", KEYS, Tokens.forUser(newUser()), "text/plain", "name=x");

        assertThat(response.status()).isEqualTo(415);
        assertProblem(response, 415);
    }

    @Test
    void aPatchChangesWhatItNamesMergesMetadataAndTheNextGetShowsIt() {
        String token = Tokens.forUser(newUser());
        String id = api().create(token, """
                {"name": "ci", "scopes": ["models:read"], "metadata": {"a": 1, "b": {"c": 2}}}""").get("id").asText();

        Api.Response patched = api().send("PATCH", KEYS + "/" + id, token, "application/merge-patch+json", """
                {"scopes": ["models:*"], "metadata": {"b": {"d": 3}}, "allowed_cidrs": ["10.0.0.0/8"]}""");

        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        JsonNode listed = only(api().get(KEYS, token).json());
        for (JsonNode key : List.of(patched.json(), listed)) {
            assertThat(key.get("name").asText()).isEqualTo("ci");
            assertThat(key.get("scopes").toString()).isEqualTo("[\"models:*\"]");
            assertThat(key.get("metadata").toString()).isEqualTo("{\"a\":1,\"b\":{\"c\":2,\"d\":3}}");
            assertThat(key.get("allowed_cidrs").toString()).isEqualTo("[\"10.0.0.0/8\"]");
        }
    }

    @Test
    void anUnsupportedMethodIsAnsweredWith405() {
        Api.Response response = api().send("POST", KEYS + "/" + UUID.randomUUID(), Tokens.forUser(newUser()),
                "application/json", "{}");

        assertThat(response.status()).isEqualTo(405);
        assertProblem(response, 405);
    }

    @Test
    void theQuotaCountsKeysThatAreNotDeleted() {
        String token = Tokens.forUser(newUser());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < MAX_KEYS; i++) {
            ids.add(api().create(token, "{}").get("id").asText());
        }

        Api.Response refused = api().post(KEYS, token, "{}");
        assertThat(refused.status()).isEqualTo(409);
        assertProblem(refused, 409);

        assertThat(api().delete(KEYS + "/" + ids.get(0), token).status()).isEqualTo(204);
        assertThat(api().post(KEYS, token, "{}").status()).isEqualTo(201);
        assertThat(api().get(KEYS, token).json()).hasSize(MAX_KEYS);
    }

    // --- list, toggle, delete ---------------------------------------------------------------

    @Test
    void listingIsNewestFirstAndShowsEveryWriteAtOnce() {
        String token = Tokens.forUser(newUser());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(api().create(token, "{\"name\": \"k" + i + "\"}").get("id").asText());
            assertThat(api().get(KEYS, token).json()).hasSize(i + 1);
        }

        assertThat(api().get(KEYS, token).json()).extracting(k -> k.get("id").asText())
                .containsExactly(ids.get(2), ids.get(1), ids.get(0));
    }

    @Test
    void putFlipsDisabledAndAnswersTheKey() {
        String token = Tokens.forUser(newUser());
        String id = api().create(token, "{\"name\": \"flip\"}").get("id").asText();

        Api.Response disabled = api().put(KEYS + "/" + id, token);
        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json().get("id").asText()).isEqualTo(id);
        assertThat(disabled.json().get("name").asText()).isEqualTo("flip");
        assertThat(disabled.json().get("disabled").asBoolean()).isTrue();
        assertThat(disabled.json().has("key")).isFalse();
        assertThat(only(api().get(KEYS, token).json()).get("disabled").asBoolean()).isTrue();

        Api.Response enabled = api().put(KEYS + "/" + id, token);
        assertThat(enabled.json().get("disabled").asBoolean()).isFalse();
        assertThat(only(api().get(KEYS, token).json()).get("disabled").asBoolean()).isFalse();
    }

    @Test
    void deleteIsSoftAndFinal() {
        String token = Tokens.forUser(newUser());
        String id = api().create(token, "{}").get("id").asText();

        Api.Response deleted = api().delete(KEYS + "/" + id, token);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(api().get(KEYS, token).json()).isEmpty();
        assertThat(api().put(KEYS + "/" + id, token).status()).isEqualTo(404);
        assertThat(api().delete(KEYS + "/" + id, token).status()).isEqualTo(404);
    }

    @Test
    void everyIdThatIsNotTheCallersLiveKeyAnswersTheSame404() {
        String owner = Tokens.forUser(newUser());
        String intruder = Tokens.forUser(newUser());
        String othersKey = api().create(owner, "{}").get("id").asText();
        String deletedKey = api().create(intruder, "{}").get("id").asText();
        api().delete(KEYS + "/" + deletedKey, intruder);
        String unknownKey = UUID.randomUUID().toString();

        List<Api.Response> answers = new ArrayList<>();
        for (String id : List.of(othersKey, deletedKey, unknownKey)) {
            answers.add(api().put(KEYS + "/" + id, intruder));
            answers.add(api().delete(KEYS + "/" + id, intruder));
        }

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(404);
            assertProblem(answer, 404);
        });
        assertThat(answers).extracting(answer -> withoutInstance(answer.json())).containsOnly(withoutInstance(answers.get(0).json()));
        assertThat(only(api().get(KEYS, owner).json()).get("disabled").asBoolean()).isFalse();
        assertThat(api().get(KEYS, intruder).json()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "1-1-1-1-1", "123", "6f1c0c0e-9c1b-4f7e-8a46-2f0b4a1d0c7z"})
    void aMalformedIdIsA400(String id) {
        String token = Tokens.forUser(newUser());

        assertThat(api().put(KEYS + "/" + id, token).status()).isEqualTo(400);
        assertThat(api().delete(KEYS + "/" + id, token).status()).isEqualTo(400);
    }

    @Test
    void thirtyConcurrentTogglesAllSucceedAndAllApply() throws Exception {
        String token = Tokens.forUser(newUser());
        String id = api().create(token, "{}").get("id").asText();
        ExecutorService pool = Executors.newFixedThreadPool(30);
        try {
            List<Callable<Integer>> toggles = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                toggles.add(() -> api().put(KEYS + "/" + id, token).status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(toggles)) {
                statuses.add(status.get());
            }
            assertThat(statuses).containsOnly(200);
        } finally {
            pool.shutdown();
        }

        assertThat(only(api().get(KEYS, token).json()).get("disabled").asBoolean()).isFalse();
        assertThat(api().put(KEYS + "/" + id, token).json().get("disabled").asBoolean()).isTrue();
        try (AuditTopic topic = new AuditTopic(bootstrapServers())) {
            List<AuditTopic.AuditRecord> records = topic.awaitRecordsOfKey(id, 32, Duration.ofSeconds(30));
            assertThat(records).extracting(r -> r.value().get("sequence").asLong())
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 32).boxed().toList());
        }
    }

    // --- the audit stream -------------------------------------------------------------------

    @Test
    void everyEventReachesKafkaInOrderAsACloudEventWithoutSecrets() {
        String user = newUser();
        String token = Tokens.forUser(user, "org-a");
        JsonNode created = api().create(token, "{\"name\": \"audited\", \"scopes\": [\"models:read\"], \"organization_id\": \"org-a\"}");
        String id = created.get("id").asText();
        String key = created.get("key").asText();
        api().put(KEYS + "/" + id, token);
        api().put(KEYS + "/" + id, token);
        api().delete(KEYS + "/" + id, token);

        try (AuditTopic topic = new AuditTopic(bootstrapServers())) {
            List<AuditTopic.AuditRecord> records = topic.awaitRecordsOfKey(id, 4, Duration.ofSeconds(30));

            assertThat(records).extracting(AuditTopic.AuditRecord::type)
                    .containsExactly("apikey.created", "apikey.disabled", "apikey.enabled", "apikey.deleted");
            assertThat(records).extracting(r -> r.value().get("sequence").asLong()).containsExactly(0L, 1L, 2L, 3L);
            assertThat(records).extracting(AuditTopic.AuditRecord::partition).containsOnly(records.get(0).partition());
            assertThat(records).extracting(r -> UUID.fromString(r.header("ce_id"))).doesNotContainNull();
            assertThat(records).allSatisfy(record -> {
                assertThat(record.schemaViolations()).isEmpty();
                assertThat(record.header("ce_specversion")).isEqualTo("1.0");
                assertThat(record.header("ce_source")).isEqualTo("/apikeys");
                assertThat(record.header("ce_subject")).isEqualTo(id);
                assertThat(Instant.parse(record.header("ce_time"))).isBefore(Instant.now());
                assertThat(record.header("content-type")).isEqualTo("application/json");
                assertThat(record.value().get("key_id").asText()).isEqualTo(id);
                assertThat(record.value().get("user_id").asText()).isEqualTo(user);
                assertThat(record.value().get("actor_id").asText()).isEqualTo(user);
                assertThat(record.value().get("organization_id").asText()).isEqualTo("org-a");
                assertThat(record.value().get("name").asText()).isEqualTo("audited");
                String raw = new String(record.rawValue(), StandardCharsets.UTF_8) + record.headers();
                assertThat(raw).doesNotContain(key).doesNotContain(sha256(key));
            });
            assertThat(records).extracting(r -> r.value().get("disabled").asBoolean()).containsExactly(false, true, false, false);
            assertThat(records).extracting(r -> r.value().get("deleted").asBoolean()).containsExactly(false, false, false, true);
        }
    }


    // --- helpers ----------------------------------------------------------------------------

    static void assertProblem(Api.Response response, int status) {
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.hasNonNull("type")).isTrue();
        assertThat(problem.hasNonNull("title")).isTrue();
        assertThat(problem.has("detail")).isTrue();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.").doesNotContain("org.springframework")
                .doesNotContain("SQL").doesNotContain("trace");
    }

    static String checksum(String first35) {
        CRC32 crc = new CRC32();
        crc.update(first35.getBytes(StandardCharsets.UTF_8));
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder digits = new StringBuilder();
        BigInteger value = BigInteger.valueOf(crc.getValue());
        BigInteger base = BigInteger.valueOf(62);
        while (value.signum() > 0) {
            digits.insert(0, alphabet.charAt(value.mod(base).intValue()));
            value = value.divide(base);
        }
        while (digits.length() < 6) {
            digits.insert(0, '0');
        }
        return digits.toString();
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
