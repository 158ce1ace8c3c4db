package dev.apikeys.standalone;

import static dev.apikeys.standalone.Api.KEYS;
import static dev.apikeys.standalone.Api.VERIFY;
import static dev.apikeys.standalone.KeyLifecycleSuite.assertProblem;
import static dev.apikeys.standalone.KeyLifecycleSuite.checksum;
import static dev.apikeys.standalone.KeyLifecycleSuite.sha256;
import static dev.apikeys.standalone.JsonNodes.fieldNames;
import static dev.apikeys.standalone.JsonNodes.only;
import static dev.apikeys.standalone.JsonNodes.withoutInstance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Verification, usage and rotation over HTTP into one standalone process, with Kafka read back: verification,
 * revocation honoured at once, rotation and usage. The process keeps time by a clock the tests
 * stop and set, so an expiry is checked at its very instant instead of waited for.
 */
class VerificationEndToEndTest {

    private static final Duration FLUSH_INTERVAL = Duration.ofMillis(200);
    /** Generous for "within the flush interval" on a busy machine, still far below the 5 s default. */
    private static final Duration USAGE_VISIBLE_WITHIN = FLUSH_INTERVAL.multipliedBy(10);
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ConfigurableApplicationContext context;
    private static MutableClock clock;
    private static Api api;
    private static String verifier;

    /**
     * The clock every side of the process injects. Not a {@code @Configuration}: component scanning
     * of this package must not hand it to the processes of the other tests.
     */
    static class ControllableClock {

        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock();
        }
    }

    @BeforeAll
    static void start() {
        Map<String, String> properties = new LinkedHashMap<>(StandaloneTestProperties.fresh(100));
        properties.put("apikeys.usage.flush-interval", FLUSH_INTERVAL.toMillis() + "ms");
        context = StandaloneTestProperties.start(properties, StandaloneApplication.class, ControllableClock.class);
        clock = context.getBean(MutableClock.class);
        api = new Api(StandaloneTestProperties.port(context));
        verifier = Tokens.verifier();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @AfterEach
    void letTheClockTickAgain() {
        clock.resume();
    }

    private static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    // --- who may verify ---------------------------------------------------------------------

    @Test
    void verifyingWithoutATokenIs401() {
        Api.Response response = api.verify(null, neverIssuedKey());

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertProblem(response, 401);
    }

    @Test
    void verifyingWithoutTheVerifyScopeIs403() {
        String owner = Tokens.forUser(newUser());
        String key = api.create(owner, "{}").get("key").asText();

        List<String> withoutTheScope = List.of(owner, Tokens.forService("reports", "openid apikeys:admin"),
                Tokens.forService("lookalike", "apikeys:verify:all apikeys:verifyx"));
        for (String token : withoutTheScope) {
            Api.Response response = api.verify(token, key);
            assertThat(response.status()).isEqualTo(403);
            assertProblem(response, 403);
            assertThat(response.json().has("code")).isFalse();
        }
        assertThat(api.verifyCode(verifier, key)).isEqualTo("VALID");
    }

    /** Authorization comes first: a caller without the scope learns nothing about request validation. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            {}
            not json
            '{"key": "x", "required_scopes": ["Models:Read"]}'
            """)
    void aCallerWithoutTheScopeIs403WhateverTheBody(String body) {
        Api.Response response = api.post(VERIFY, Tokens.forUser(newUser()), body);

        assertThat(response.status()).as(body).isEqualTo(403);
        assertProblem(response, 403);
    }

    // --- every code -------------------------------------------------------------------------

    @Test
    void aValidKeyIsAnsweredWithItsFields() {
        String user = newUser();
        String owner = Tokens.forUser(user, "org-v");
        JsonNode created = api.create(owner, """
                {"scopes": ["models:read", "workflows:*"], "organization_id": "org-v", "expires_in_days": 7}""");

        Api.Response response = api.verify(verifier, created.get("key").asText(), "models:read");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode body = response.json();
        assertThat(fieldNames(body)).containsExactlyInAnyOrder("valid", "code", "key_id", "user_id",
                "organization_id", "scopes", "expires_at", "metadata");
        assertThat(body.get("valid").asBoolean()).isTrue();
        assertThat(body.get("code").asText()).isEqualTo("VALID");
        assertThat(body.get("key_id").asText()).isEqualTo(created.get("id").asText());
        assertThat(body.get("user_id").asText()).isEqualTo(user);
        assertThat(body.get("organization_id").asText()).isEqualTo("org-v");
        assertThat(body.get("scopes")).extracting(JsonNode::asText).containsExactly("models:read", "workflows:*");
        assertThat(Instant.parse(body.get("expires_at").asText()))
                .isEqualTo(Instant.parse(created.get("expires_at").asText()));
        assertThat(response.body()).doesNotContain(created.get("key").asText())
                .doesNotContain(sha256(created.get("key").asText()));
    }

    // --- metadata, networks and PATCH --------------------------------------------------------

    @Test
    void metadataAndAllowedCidrsAreKeptShownAnsweredWithTheKeyAndChangedByAMergePatch() {
        String user = newUser();
        String owner = Tokens.forUser(user);
        JsonNode created = api.create(owner, """
                {"name": "ci", "scopes": ["models:read"], "metadata": {"team": "ci", "tier": {"level": 2}},
                 "allowed_cidrs": ["10.0.0.0/8", "2001:db8::/32"]}""");
        String id = created.get("id").asText();
        String key = created.get("key").asText();
        JsonNode listed = only(api.get(KEYS, owner).json());
        assertThat(listed.get("metadata")).isEqualTo(json("{\"team\": \"ci\", \"tier\": {\"level\": 2}}"));
        assertThat(listed.get("allowed_cidrs")).isEqualTo(json("[\"10.0.0.0/8\", \"2001:db8::/32\"]"));

        JsonNode inside = verifyFrom(key, "10.20.30.40");
        assertThat(inside.get("code").asText()).isEqualTo("VALID");
        assertThat(inside.get("metadata")).isEqualTo(listed.get("metadata"));
        assertThat(verifyFrom(key, "2001:db8::1").get("code").asText()).isEqualTo("VALID");
        JsonNode outside = verifyFrom(key, "192.0.2.1");
        assertThat(outside.get("code").asText()).isEqualTo("IP_NOT_ALLOWED");
        assertThat(outside.get("valid").asBoolean()).isFalse();
        assertThat(outside.get("metadata")).isEqualTo(listed.get("metadata"));
        assertThat(api.verifyCode(verifier, key)).as("no client_ip").isEqualTo("IP_NOT_ALLOWED");

        Api.Response patched = api.send("PATCH", KEYS + "/" + id, owner, "application/merge-patch+json", """
                {"name": "deploys", "metadata": {"tier": null, "region": "eu"}, "allowed_cidrs": null}""");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("name").asText()).isEqualTo("deploys");
        assertThat(patched.json().get("scopes")).isEqualTo(json("[\"models:read\"]"));
        assertThat(patched.json().get("metadata")).isEqualTo(json("{\"team\": \"ci\", \"region\": \"eu\"}"));
        assertThat(patched.json().get("allowed_cidrs").isNull()).isTrue();
        // last_used_at aside: the verifications above may have been recorded since the PATCH answered.
        JsonNode listedAfter = only(api.get(KEYS, owner).json());
        for (String field : List.of("name", "scopes", "metadata", "allowed_cidrs")) {
            assertThat(listedAfter.get(field)).as("read-your-writes: %s", field).isEqualTo(patched.json().get(field));
        }
        assertThat(verifyFrom(key, "192.0.2.1").get("code").asText()).as("honoured as soon as answered")
                .isEqualTo("VALID");

        Api.Response unchanged = api.send("PATCH", KEYS + "/" + id, owner, "application/json", "{\"name\": \"deploys\"}");
        assertThat(unchanged.status()).isEqualTo(200);
        List<JsonNode> lifecycle = new ArrayList<>();
        api.get(KEYS + "/" + id + "/history", owner).json().forEach(entry -> {
            if (!entry.get("type").asText().equals("apikey.used")) {
                lifecycle.add(entry);
            }
        });
        assertThat(lifecycle).extracting(entry -> entry.get("type").asText())
                .as("a PATCH that changes nothing is no event").containsExactly("apikey.created", "apikey.updated");
        JsonNode update = lifecycle.get(1);
        assertThat(update.get("changed")).isEqualTo(json("[\"name\", \"metadata\", \"allowed_cidrs\"]"));
        assertThat(update.get("metadata")).isEqualTo(patched.json().get("metadata"));
        assertThat(lifecycle.get(0).get("allowed_cidrs")).isEqualTo(json("[\"10.0.0.0/8\", \"2001:db8::/32\"]"));

        try (AuditTopic audit = new AuditTopic(
                context.getEnvironment().getRequiredProperty("apikeys.audit.bootstrap-servers"))) {
            List<AuditTopic.AuditRecord> records = audit.awaitRecordsOfKey(id,
                    all -> all.stream().anyMatch(r -> "apikey.updated".equals(r.header("ce_type"))),
                    Duration.ofSeconds(30));
            AuditTopic.AuditRecord updated = records.stream()
                    .filter(r -> "apikey.updated".equals(r.header("ce_type"))).findFirst().orElseThrow();
            assertThat(updated.schemaViolations()).isEmpty();
            assertThat(updated.value().get("changed")).isEqualTo(update.get("changed"));
            assertThat(updated.value().get("name").asText()).isEqualTo("deploys");
            assertThat(updated.value().get("metadata")).isEqualTo(patched.json().get("metadata"));
            assertThat(updated.value().get("allowed_cidrs").isNull()).isTrue();
            assertThat(records.get(0).value().get("metadata")).isEqualTo(listed.get("metadata"));
        }
    }

    @Test
    void aRateLimitAdmitsExactlyItsLimitInEachWindowAndEveryAnswerSaysHowTheWindowStands() {
        String owner = Tokens.forUser(newUser());
        JsonNode created = api.create(owner, "{\"rate_limit\": {\"limit\": 3, \"duration_seconds\": 60}}");
        String id = created.get("id").asText();
        String key = created.get("key").asText();
        assertThat(only(api.get(KEYS, owner).json()).get("rate_limit"))
                .isEqualTo(json("{\"limit\": 3, \"duration_seconds\": 60}"));
        Instant window = nextMinute();
        clock.setTo(window.plusSeconds(10));

        List<JsonNode> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(api.verify(verifier, key).json());
        }

        assertThat(answers).extracting(answer -> answer.get("code").asText())
                .containsExactly("VALID", "VALID", "VALID", "RATE_LIMITED", "RATE_LIMITED");
        assertThat(answers).extracting(answer -> answer.get("ratelimit").get("remaining").asLong())
                .containsExactly(2L, 1L, 0L, 0L, 0L);
        assertThat(answers).extracting(answer -> answer.get("ratelimit").get("reset_at").asText())
                .containsOnly(window.plusSeconds(60).toString());
        assertThat(answers.get(3).get("valid").asBoolean()).isFalse();
        assertThat(answers.get(3).get("ratelimit").get("limit").asInt()).isEqualTo(3);
        assertThat(api.verify(verifier, key, "models:write").json().get("code").asText())
                .as("a check before the rate limit still fails first").isEqualTo("INSUFFICIENT_SCOPES");

        clock.setTo(window.plusSeconds(60));
        assertThat(api.verifyCode(verifier, key)).as("the next window").isEqualTo("VALID");

        Api.Response raised = api.send("PATCH", KEYS + "/" + id, owner, "application/merge-patch+json",
                "{\"rate_limit\": {\"limit\": 5}}");
        assertThat(raised.json().get("rate_limit")).isEqualTo(json("{\"limit\": 5, \"duration_seconds\": 60}"));
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            codes.add(api.verifyCode(verifier, key));
        }
        assertThat(codes).as("five in the window, one of them before the PATCH")
                .containsExactly("VALID", "VALID", "VALID", "VALID", "RATE_LIMITED", "RATE_LIMITED");

        assertThat(api.send("PATCH", KEYS + "/" + id, owner, "application/json", "{\"rate_limit\": null}").status())
                .isEqualTo(200);
        JsonNode unlimited = api.verify(verifier, key).json();
        assertThat(unlimited.get("code").asText()).isEqualTo("VALID");
        assertThat(unlimited.has("ratelimit")).isFalse();
    }

    @Test
    void aRateLimitPatchOnAKeyWithoutOneMustGiveBothMembers() {
        String owner = Tokens.forUser(newUser());
        String id = api.create(owner, "{}").get("id").asText();

        Api.Response incomplete = api.send("PATCH", KEYS + "/" + id, owner, "application/merge-patch+json",
                "{\"rate_limit\": {\"limit\": 5}}");

        assertProblem(incomplete, 400);
        assertThat(incomplete.json().get("errors").get(0).get("field").asText())
                .isEqualTo("rate_limit.duration_seconds");
    }

    @Test
    void creditsAreConsumedByValidAnswersAloneRecordedAndRefilledAtMidnight() {
        String owner = Tokens.forUser(newUser());
        Instant midnight = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(2, ChronoUnit.DAYS);
        clock.setTo(midnight.minus(2, ChronoUnit.HOURS));
        JsonNode created = api.create(owner, """
                {"scopes": ["models:read"], "credits": {"remaining": 5, "refill": {"amount": 7, "interval": "daily"}}}""");
        String id = created.get("id").asText();
        String key = created.get("key").asText();
        assertThat(only(api.get(KEYS, owner).json()).get("credits"))
                .isEqualTo(json("{\"remaining\": 5, \"refill\": {\"amount\": 7, \"interval\": \"daily\"}}"));

        List<JsonNode> answers = new ArrayList<>();
        for (int cost : new int[] {2, 2, 2, 1, 0, 1}) {
            answers.add(verifyCosting(key, cost, null));
        }
        JsonNode insufficient = verifyCosting(key, 1, "models:write");

        assertThat(answers).extracting(answer -> answer.get("code").asText())
                .containsExactly("VALID", "VALID", "USAGE_EXCEEDED", "VALID", "VALID", "USAGE_EXCEEDED");
        assertThat(answers).extracting(answer -> answer.get("credits_remaining").asLong())
                .containsExactly(3L, 1L, 1L, 0L, 0L, 0L);
        assertThat(insufficient.get("code").asText()).isEqualTo("INSUFFICIENT_SCOPES");
        assertThat(insufficient.get("credits_remaining").asLong()).isZero();
        await().atMost(USAGE_VISIBLE_WITHIN).untilAsserted(() -> assertThat(
                only(api.get(KEYS, owner).json()).get("credits").get("remaining").asLong()).isZero());
        List<JsonNode> consumed = new ArrayList<>();
        api.get(KEYS + "/" + id + "/history", owner).json().forEach(entry -> {
            if (entry.get("type").asText().equals("apikey.credits_consumed")) {
                consumed.add(entry);
            }
        });
        assertThat(consumed.stream().mapToLong(entry -> entry.get("consumed").asLong()).sum()).isEqualTo(5);
        assertThat(consumed.get(consumed.size() - 1).get("remaining").asLong()).isZero();
        assertThat(consumed).allSatisfy(entry -> assertThat(entry.get("granted").asLong()).isEqualTo(5));
        try (AuditTopic audit = new AuditTopic(
                context.getEnvironment().getRequiredProperty("apikeys.audit.bootstrap-servers"))) {
            List<AuditTopic.AuditRecord> records = audit.awaitRecordsOfKey(id, all -> all.stream()
                    .filter(r -> "apikey.credits_consumed".equals(r.header("ce_type")))
                    .mapToLong(r -> r.value().get("consumed").asLong()).sum() == 5, Duration.ofSeconds(30));
            assertThat(records).allSatisfy(record -> assertThat(record.schemaViolations()).isEmpty());
        }

        // Uses at no cost, recorded in two flushes: a write's answer still says what is left.
        for (int flush = 0; flush < 2; flush++) {
            int entries = api.get(KEYS + "/" + id + "/history", owner).json().size();
            assertThat(verifyCosting(key, 0, null).get("code").asText()).isEqualTo("VALID");
            await().atMost(USAGE_VISIBLE_WITHIN).until(() -> api.get(KEYS + "/" + id + "/history", owner).json()
                    .size() > entries);
        }
        JsonNode disabled = api.put(KEYS + "/" + id, owner).json();
        assertThat(disabled.get("credits").get("remaining").asLong()).isZero();
        api.put(KEYS + "/" + id, owner);

        clock.setTo(midnight.plusSeconds(1));
        assertThat(only(api.get(KEYS, owner).json()).get("credits").get("remaining").asLong()).as("refilled")
                .isEqualTo(7);
        assertThat(verifyCosting(key, 3, null).get("credits_remaining").asLong()).isEqualTo(4);
        await().atMost(USAGE_VISIBLE_WITHIN).untilAsserted(() -> {
            JsonNode history = api.get(KEYS + "/" + id + "/history", owner).json();
            JsonNode last = history.get(history.size() - 1);
            assertThat(last.get("type").asText()).isEqualTo("apikey.credits_consumed");
            assertThat(last.get("granted_at").asText()).as("the refill, in the key's history")
                    .isEqualTo(midnight.toString());
            assertThat(last.get("granted").asLong()).isEqualTo(7);
            assertThat(last.get("remaining").asLong()).isEqualTo(4);
        });

        clock.setTo(midnight.plusSeconds(2));
        api.send("PATCH", KEYS + "/" + id, owner, "application/merge-patch+json", "{\"credits\": {\"remaining\": 1}}");
        assertThat(List.of(verifyCosting(key, 1, null), verifyCosting(key, 1, null)))
                .extracting(answer -> answer.get("code").asText()).containsExactly("VALID", "USAGE_EXCEEDED");
        api.send("PATCH", KEYS + "/" + id, owner, "application/merge-patch+json", "{\"credits\": null}");
        JsonNode unlimited = verifyCosting(key, 1000, null);
        assertThat(unlimited.get("code").asText()).isEqualTo("VALID");
        assertThat(unlimited.has("credits_remaining")).isFalse();
    }

    @Test
    void anAnswerRefusedForItsCreditsDoesNotCountAgainstTheRateLimit() {
        String owner = Tokens.forUser(newUser());
        Instant window = nextMinute();
        clock.setTo(window.plusSeconds(5));
        JsonNode created = api.create(owner, """
                {"rate_limit": {"limit": 2, "duration_seconds": 60}, "credits": {"remaining": 1}}""");
        String key = created.get("key").asText();

        assertThat(api.verifyCode(verifier, key)).isEqualTo("VALID");
        JsonNode exceeded = api.verify(verifier, key).json();
        assertThat(exceeded.get("code").asText()).isEqualTo("USAGE_EXCEEDED");
        assertThat(exceeded.get("ratelimit").get("remaining").asLong()).isEqualTo(1);
        // A new grant begins later than the first: grants are told apart by when they began.
        clock.setTo(window.plusSeconds(6));
        api.send("PATCH", KEYS + "/" + created.get("id").asText(), owner, "application/json",
                "{\"credits\": {\"remaining\": 10}}");

        assertThat(List.of(api.verifyCode(verifier, key), api.verifyCode(verifier, key)))
                .containsExactly("VALID", "RATE_LIMITED");
    }

    /** The start of the minute after the clock's: a rate-limit window of 60 s, ahead of every earlier test's. */
    private static Instant nextMinute() {
        return clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
    }

    private static JsonNode verifyCosting(String key, int cost, String requiredScope) {
        ObjectNode body = JSON.createObjectNode().put("key", key).put("cost", cost);
        if (requiredScope != null) {
            body.putArray("required_scopes").add(requiredScope);
        }
        Api.Response response = api.post(VERIFY, verifier, body.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void aPatchNamesEveryBadMemberAndAnswersOnlyItsOwner() {
        String owner = Tokens.forUser(newUser());
        String id = api.create(owner, "{\"metadata\": {\"a\": \"" + "x".repeat(600) + "\"}}").get("id").asText();

        Api.Response bad = api.send("PATCH", KEYS + "/" + id, owner, "application/merge-patch+json",
                "{\"disabled\": true, \"allowed_cidrs\": [\"10.0.0.0/40\"], \"scopes\": \"models:read\"}");
        assertProblem(bad, 400);
        assertThat(bad.json().get("errors")).extracting(error -> error.get("field").asText())
                .containsExactly("disabled", "scopes", "allowed_cidrs[0]");
        Api.Response tooLarge = api.send("PATCH", KEYS + "/" + id, owner, "application/merge-patch+json",
                "{\"metadata\": {\"b\": \"" + "y".repeat(600) + "\"}}");
        assertProblem(tooLarge, 400);
        assertThat(tooLarge.json().get("errors").get(0).get("field").asText()).isEqualTo("metadata");
        assertProblem(api.send("PATCH", KEYS + "/" + id, Tokens.forUser(newUser()), "application/merge-patch+json",
                "{\"name\": \"mine\"}"), 404);
        assertProblem(api.send("PATCH", KEYS + "/" + id, owner, "text/plain", "{\"name\": \"x\"}"), 415);
        assertThat(api.get(KEYS + "/" + id + "/history", owner).json()).hasSize(1);
    }

    private static JsonNode verifyFrom(String key, String clientIp) {
        Api.Response response = api.post(VERIFY, verifier,
                JSON.createObjectNode().put("key", key).put("client_ip", clientIp).toString());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aKeyWithoutOrganizationOrExpiryAnswersThemAsNull() {
        JsonNode created = api.create(Tokens.forUser(newUser()), "{}");

        JsonNode body = api.verify(verifier, created.get("key").asText()).json();

        assertThat(body.get("code").asText()).isEqualTo("VALID");
        assertThat(fieldNames(body)).contains("organization_id", "expires_at");
        assertThat(body.get("organization_id").isNull()).isTrue();
        assertThat(body.get("expires_at").isNull()).isTrue();
        assertThat(body.get("scopes")).isEmpty();
    }

    static Stream<Arguments> malformedKeys() {
        String body = "sk_" + randomBase62(32);
        String wellFormed = body + checksum(body);
        String otherPrefix = "pk_" + body.substring(3);
        String upperCasePrefix = "SK_" + body.substring(3);
        String unicode = body.substring(0, 34) + "é";
        String punctuation = body.substring(0, 34) + "-";
        String checksum = checksum(body);
        String wrongChecksum = checksum.substring(0, 5) + (checksum.charAt(5) == '0' ? '1' : '0');
        return Stream.of(
                arguments("empty", ""),
                arguments("another prefix", otherPrefix + checksum(otherPrefix)),
                arguments("upper-case prefix", upperCasePrefix + checksum(upperCasePrefix)),
                arguments("one character short", wellFormed.substring(0, 40)),
                arguments("one character long", wellFormed + "0"),
                arguments("10,000 characters", "sk_" + "a".repeat(9_997)),
                arguments("checksum off by one digit", body + wrongChecksum),
                arguments("checksum of another body", "sk_" + randomBase62(32) + checksum),
                arguments("non-ASCII letter", unicode + checksum(unicode)),
                arguments("punctuation", punctuation + checksum(punctuation)),
                arguments("leading space", " " + wellFormed),
                arguments("trailing newline", wellFormed + "\n"));
    }

    /** Also for lookalikes of a real key: the only well-formed string here is never sent. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedKeys")
    void whatIsNotAKeyIsMalformedAndTellsNothingElse(String description, String key) {
        Api.Response response = api.verify(verifier, key);

        assertThat(response.status()).as(description).isEqualTo(200);
        assertThat(fieldNames(response.json())).containsExactlyInAnyOrder("valid", "code");
        assertThat(response.json().get("valid").asBoolean()).isFalse();
        assertThat(response.json().get("code").asText()).as(description).isEqualTo("MALFORMED");
    }

    @Test
    void aWellFormedKeyThatWasNeverIssuedIsNotFound() {
        Api.Response response = api.verify(verifier, neverIssuedKey());

        assertThat(response.status()).isEqualTo(200);
        assertThat(fieldNames(response.json())).containsExactlyInAnyOrder("valid", "code");
        assertThat(response.json().get("valid").asBoolean()).isFalse();
        assertThat(response.json().get("code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void aDeletedKeyIsNotFoundAndTellsNothingAboutItself() {
        String owner = Tokens.forUser(newUser(), "org-d");
        JsonNode created = api.create(owner, "{\"organization_id\": \"org-d\"}");
        String key = created.get("key").asText();
        assertThat(api.verifyCode(verifier, key)).isEqualTo("VALID");

        assertThat(api.delete(KEYS + "/" + created.get("id").asText(), owner).status()).isEqualTo(204);
        Api.Response response = api.verify(verifier, key);

        assertThat(fieldNames(response.json())).containsExactlyInAnyOrder("valid", "code");
        assertThat(response.json().get("valid").asBoolean()).isFalse();
        assertThat(response.json().get("code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void aDisabledKeyIsDisabledWithItsFields() {
        String owner = Tokens.forUser(newUser());
        JsonNode created = api.create(owner, "{\"scopes\": [\"models:read\"]}");
        api.put(KEYS + "/" + created.get("id").asText(), owner);

        JsonNode body = api.verify(verifier, created.get("key").asText(), "models:read").json();

        assertThat(body.get("valid").asBoolean()).isFalse();
        assertThat(body.get("code").asText()).isEqualTo("DISABLED");
        assertThat(body.get("key_id").asText()).isEqualTo(created.get("id").asText());
        assertThat(fieldNames(body)).hasSize(8);
    }

    @Test
    void aKeyIsValidUpToItsExpiryAndExpiredFromThatInstant() {
        String owner = Tokens.forUser(newUser());
        Instant createdAt = clock.freeze();
        JsonNode created = api.create(owner, "{\"expires_in_days\": 1}");
        String key = created.get("key").asText();
        Instant expiresAt = Instant.parse(created.get("expires_at").asText());
        // The service keeps time by the test's clock, or the instants below would prove nothing.
        assertThat(expiresAt).isEqualTo(createdAt.plus(Duration.ofDays(1)));

        clock.setTo(expiresAt.minusMillis(1));
        assertThat(api.verifyCode(verifier, key)).isEqualTo("VALID");

        clock.setTo(expiresAt);
        JsonNode expired = api.verify(verifier, key).json();
        assertThat(expired.get("valid").asBoolean()).isFalse();
        assertThat(expired.get("code").asText()).isEqualTo("EXPIRED");
        assertThat(expired.get("key_id").asText()).isEqualTo(created.get("id").asText());
        assertThat(Instant.parse(expired.get("expires_at").asText())).isEqualTo(expiresAt);
    }

    @Test
    void missingScopesAreInsufficientWithTheKeysFields() {
        JsonNode created = api.create(Tokens.forUser(newUser()), "{\"scopes\": [\"models:read\"]}");

        JsonNode body = api.verify(verifier, created.get("key").asText(), "models:read", "models:write").json();

        assertThat(body.get("valid").asBoolean()).isFalse();
        assertThat(body.get("code").asText()).isEqualTo("INSUFFICIENT_SCOPES");
        assertThat(body.get("key_id").asText()).isEqualTo(created.get("id").asText());
        assertThat(body.get("scopes")).extracting(JsonNode::asText).containsExactly("models:read");
    }

    /** Disabled outranks insufficient scopes: the caller learns the key is unusable altogether. */
    @Test
    void aDisabledKeyIsDisabledEvenWhenItsScopesFallShort() {
        String owner = Tokens.forUser(newUser());
        JsonNode created = api.create(owner, "{}");
        api.put(KEYS + "/" + created.get("id").asText(), owner);

        assertThat(api.verifyCode(verifier, created.get("key").asText(), "models:read")).isEqualTo("DISABLED");
    }

    // --- scopes -----------------------------------------------------------------------------

    @ParameterizedTest(name = "granted [{0}], required [{1}]: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            models:*                  | models:read                 | VALID
            models:read               | models:*                    | INSUFFICIENT_SCOPES
            models:read               | models:write                | INSUFFICIENT_SCOPES
            ''                        | ''                          | VALID
            models:read workflows:*   | models:read workflows:run   | VALID
            models:read               | workflows:read              | INSUFFICIENT_SCOPES
            models:*                  | models:*                    | VALID
            models:read               | ''                          | VALID
            ''                        | models:read                 | INSUFFICIENT_SCOPES
            workflows:*               | models:read                 | INSUFFICIENT_SCOPES
            model:*                   | models:read                 | INSUFFICIENT_SCOPES
            models:read_all           | models:read                 | INSUFFICIENT_SCOPES
            models:read               | models:read models:write    | INSUFFICIENT_SCOPES
            models:read models:write  | models:write models:read    | VALID
            models:* workflows:read   | models:write workflows:read | VALID
            """)
    void aRequiredScopeIsMetByTheSameScopeOrItsResourcesWildcard(String granted, String required, String code) {
        JsonNode created = api.create(Tokens.forUser(newUser()), "{\"scopes\": " + jsonArray(scopes(granted)) + "}");

        assertThat(api.verifyCode(verifier, created.get("key").asText(), scopes(required).toArray(String[]::new)))
                .isEqualTo(code);
    }

    @Test
    void requiredScopesMayBeAbsentOrEmpty() {
        String key = api.create(Tokens.forUser(newUser()), "{\"scopes\": [\"models:read\"]}").get("key").asText();

        Api.Response empty = api.post(VERIFY, verifier, "{\"key\": \"" + key + "\", \"required_scopes\": []}");
        Api.Response absent = api.post(VERIFY, verifier, "{\"key\": \"" + key + "\"}");

        assertThat(empty.json().get("code").asText()).isEqualTo("VALID");
        assertThat(absent.json().get("code").asText()).isEqualTo("VALID");
    }

    @Test
    void fiftyRequiredScopesAreAllowed() {
        List<String> fifty = IntStream.range(0, 50).mapToObj(i -> "s" + i + ":read").toList();
        String key = api.create(Tokens.forUser(newUser()), "{\"scopes\": " + jsonArray(fifty) + "}")
                .get("key").asText();

        assertThat(api.verifyCode(verifier, key, fifty.toArray(String[]::new))).isEqualTo("VALID");
    }

    // --- bad requests -----------------------------------------------------------------------

    static Stream<Arguments> invalidVerifyRequests() {
        String key = "\"" + neverIssuedKey() + "\"";
        String fiftyOne = jsonArray(IntStream.range(0, 51).mapToObj(i -> "s" + i + ":read").toList());
        return Stream.of(
                arguments("{}", "key"),
                arguments("{\"key\": null}", "key"),
                arguments("{\"key\": 41}", "key"),
                arguments("{\"key\": true}", "key"),
                arguments("{\"key\": [" + key + "]}", "key"),
                arguments("{\"key\": {\"value\": " + key + "}}", "key"),
                arguments("{\"required_scopes\": [\"models:read\"]}", "key"),
                arguments("[]", "body"),
                arguments("[{\"key\": " + key + "}]", "body"),
                arguments(key, "body"),
                arguments("", "body"),
                arguments("{\"key\": " + key + ", \"required_scopes\": \"models:read\"}", "required_scopes"),
                arguments("{\"key\": " + key + ", \"required_scopes\": {\"0\": \"models:read\"}}", "required_scopes"),
                arguments("{\"key\": " + key + ", \"required_scopes\": [7]}", "required_scopes[0]"),
                arguments("{\"key\": " + key + ", \"required_scopes\": [null]}", "required_scopes[0]"),
                arguments("{\"key\": " + key + ", \"required_scopes\": [\"models:read\", \"Models:Read\"]}",
                        "required_scopes[1]"),
                arguments("{\"key\": " + key + ", \"required_scopes\": [\"models\"]}", "required_scopes[0]"),
                arguments("{\"key\": " + key + ", \"required_scopes\": [\"models:read:all\"]}", "required_scopes[0]"),
                arguments("{\"key\": " + key + ", \"required_scopes\": [\"\"]}", "required_scopes[0]"),
                arguments("{\"key\": " + key + ", \"required_scopes\": [\"" + "m".repeat(60) + ":read\"]}",
                        "required_scopes[0]"),
                arguments("{\"key\": " + key + ", \"required_scopes\": " + fiftyOne + "}", "required_scopes"),
                arguments("{\"key\": \"" + "k".repeat(70_000) + "\"}", "body"));
    }

    @ParameterizedTest
    @MethodSource("invalidVerifyRequests")
    void invalidRequestsAre400ProblemsNamingTheField(String body, String field) {
        Api.Response response = api.post(VERIFY, verifier, body);

        String shown = body.length() > 200 ? body.substring(0, 200) + "..." : body;
        assertThat(response.status()).as(shown).isEqualTo(400);
        assertProblem(response, 400);
        assertThat(response.json().get("errors")).as(shown).extracting(error -> error.get("field").asText())
                .contains(field);
    }

    @Test
    void aBodyThatIsNotJsonIsA400Problem() {
        Api.Response response = api.post(VERIFY, verifier, "key=sk_abc");

        assertThat(response.status()).isEqualTo(400);
        assertProblem(response, 400);
    }

    @Test
    void validationNamesEveryBadField() {
        Api.Response response = api.post(VERIFY, verifier, "{\"key\": 5, \"required_scopes\": [\"ok:read\", 3, \"No\"]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors")).extracting(error -> error.get("field").asText())
                .contains("key", "required_scopes[1]", "required_scopes[2]");
        assertThat(response.json().get("errors"))
                .allSatisfy(error -> assertThat(error.get("message").asText()).isNotBlank());
    }

    @Test
    void anythingButJsonIsUnsupportedMediaType() {
        Api.Response response = api.send("POST", VERIFY, verifier, "text/plain", neverIssuedKey());

        assertThat(response.status()).isEqualTo(415);
        assertProblem(response, 415);
    }

    // --- revocation -------------------------------------------------------------------------

    @Test
    void everyDisableEnableAndDeleteIsHonouredByTheNextVerification() {
        RevocationRounds.run(api, api, Tokens.forUser(newUser()), 50, "standalone");
    }

    // --- rotation ---------------------------------------------------------------------------

    @Test
    void rotationIssuesACopyUnderANewIdAndTheOldKeyLastsTheGracePeriod() {
        String user = newUser();
        String owner = Tokens.forUser(user, "org-r");
        JsonNode old = api.create(owner, """
                {"name": "deploy", "scopes": ["models:read", "workflows:*"], "organization_id": "org-r",
                 "expires_in_days": 30}""");
        String oldId = old.get("id").asText();
        String oldKey = old.get("key").asText();
        Instant rotatedAt = clock.freeze();

        Api.Response response = api.rotate(owner, oldId, "{\"grace_period_seconds\": 3600}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        JsonNode issued = response.json();
        assertThat(fieldNames(issued)).containsExactlyInAnyOrder("id", "name", "key_prefix", "key", "scopes",
                "expires_at");
        String newId = issued.get("id").asText();
        assertThat(UUID.fromString(newId).toString()).isEqualTo(newId).isNotEqualTo(oldId);
        assertThat(response.header("Location")).endsWith(KEYS + "/" + newId);
        String newKey = issued.get("key").asText();
        assertThat(newKey).matches("sk_[0-9A-Za-z]{38}").isNotEqualTo(oldKey);
        assertThat(newKey.substring(35)).isEqualTo(checksum(newKey.substring(0, 35)));
        assertThat(issued.get("key_prefix").asText()).isEqualTo(newKey.substring(0, 8));
        assertThat(issued.get("name").asText()).isEqualTo("deploy");
        assertThat(issued.get("scopes")).isEqualTo(old.get("scopes"));
        assertThat(Instant.parse(issued.get("expires_at").asText()))
                .isEqualTo(Instant.parse(old.get("expires_at").asText()));

        Instant endOfGrace = rotatedAt.plusSeconds(3600);
        JsonNode listed = api.get(KEYS, owner).json();
        assertThat(listed).extracting(k -> k.get("id").asText()).containsExactlyInAnyOrder(oldId, newId);
        JsonNode oldListed = byId(listed, oldId);
        JsonNode newListed = byId(listed, newId);
        assertThat(Instant.parse(oldListed.get("expires_at").asText())).isEqualTo(endOfGrace);
        assertThat(newListed.get("user_id").asText()).isEqualTo(user);
        assertThat(newListed.get("organization_id").asText()).isEqualTo("org-r");
        assertThat(newListed.get("name").asText()).isEqualTo("deploy");
        assertThat(newListed.get("scopes")).isEqualTo(old.get("scopes"));
        assertThat(Instant.parse(newListed.get("expires_at").asText()))
                .isEqualTo(Instant.parse(old.get("expires_at").asText()));
        assertThat(newListed.get("disabled").asBoolean()).isFalse();

        JsonNode verifiedNew = api.verify(verifier, newKey, "workflows:run").json();
        assertThat(verifiedNew.get("code").asText()).isEqualTo("VALID");
        assertThat(verifiedNew.get("key_id").asText()).isEqualTo(newId);
        assertThat(verifiedNew.get("organization_id").asText()).isEqualTo("org-r");

        clock.setTo(endOfGrace.minusMillis(1));
        assertThat(api.verifyCode(verifier, oldKey)).isEqualTo("VALID");
        clock.setTo(endOfGrace);
        JsonNode verifiedOld = api.verify(verifier, oldKey).json();
        assertThat(verifiedOld.get("code").asText()).isEqualTo("EXPIRED");
        assertThat(Instant.parse(verifiedOld.get("expires_at").asText())).isEqualTo(endOfGrace);
        assertThat(api.verifyCode(verifier, newKey)).isEqualTo("VALID");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            '{"grace_period_seconds": 0}'
            '{"grace_period_seconds": null}'
            {}
            ''
            """)
    void withoutGraceTheOldKeyExpiresAtOnce(String body) {
        String owner = Tokens.forUser(newUser());
        JsonNode old = api.create(owner, "{}");
        String oldKey = old.get("key").asText();
        String oldId = old.get("id").asText();

        Api.Response response = api.rotate(owner, oldId, body);

        assertThat(response.status()).as(body).isEqualTo(201);
        assertThat(api.verifyCode(verifier, oldKey)).isEqualTo("EXPIRED");
        assertThat(api.verifyCode(verifier, response.json().get("key").asText())).isEqualTo("VALID");
    }

    @Test
    void theGraceNeverOutlastsTheKeysOwnExpiry() {
        String owner = Tokens.forUser(newUser());
        clock.freeze();
        JsonNode old = api.create(owner, "{\"expires_in_days\": 1}");
        Instant ownExpiry = Instant.parse(old.get("expires_at").asText());

        Api.Response response = api.rotate(owner, old.get("id").asText(), "{\"grace_period_seconds\": 604800}");

        assertThat(response.status()).isEqualTo(201);
        JsonNode listed = api.get(KEYS, owner).json();
        assertThat(Instant.parse(byId(listed, old.get("id").asText()).get("expires_at").asText())).isEqualTo(ownExpiry);
        assertThat(Instant.parse(response.json().get("expires_at").asText())).isEqualTo(ownExpiry);
    }

    @Test
    void aDisabledKeyCannotBeRotated() {
        String owner = Tokens.forUser(newUser());
        JsonNode old = api.create(owner, "{}");
        api.put(KEYS + "/" + old.get("id").asText(), owner);

        Api.Response response = api.rotate(owner, old.get("id").asText(), "{\"grace_period_seconds\": 60}");

        assertThat(response.status()).isEqualTo(409);
        assertProblem(response, 409);
        assertThat(api.get(KEYS, owner).json()).hasSize(1);
    }

    @Test
    void anExpiredKeyCannotBeRotated() {
        String owner = Tokens.forUser(newUser());
        clock.freeze();
        JsonNode old = api.create(owner, "{\"expires_in_days\": 1}");
        clock.setTo(Instant.parse(old.get("expires_at").asText()));

        Api.Response response = api.rotate(owner, old.get("id").asText(), "{\"grace_period_seconds\": 60}");

        assertThat(response.status()).isEqualTo(409);
        assertProblem(response, 409);
        assertThat(api.get(KEYS, owner).json()).hasSize(1);
    }

    @Test
    void onlyTheCallersLiveKeysCanBeRotatedAndEveryOtherIdIsTheSame404() {
        String owner = Tokens.forUser(newUser());
        String intruder = Tokens.forUser(newUser());
        JsonNode othersKey = api.create(owner, "{}");
        String deletedKey = api.create(intruder, "{}").get("id").asText();
        api.delete(KEYS + "/" + deletedKey, intruder);

        List<Api.Response> answers = new ArrayList<>();
        for (String id : List.of(othersKey.get("id").asText(), deletedKey, UUID.randomUUID().toString())) {
            answers.add(api.rotate(intruder, id, "{\"grace_period_seconds\": 60}"));
        }

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(404);
            assertProblem(answer, 404);
        });
        assertThat(answers).extracting(answer -> withoutInstance(answer.json()))
                .containsOnly(withoutInstance(answers.get(0).json()));
        assertThat(api.rotate(intruder, "not-a-uuid", "{}").status()).isEqualTo(400);
        assertThat(api.get(KEYS, intruder).json()).isEmpty();
        JsonNode ownersKey = only(api.get(KEYS, owner).json());
        assertThat(ownersKey.get("expires_at").isNull()).isTrue();
        assertThat(api.verifyCode(verifier, othersKey.get("key").asText())).isEqualTo("VALID");
    }

    static Stream<Arguments> badGracePeriods() {
        return Stream.of(
                arguments("{\"grace_period_seconds\": -1}", "grace_period_seconds"),
                arguments("{\"grace_period_seconds\": 604801}", "grace_period_seconds"),
                arguments("{\"grace_period_seconds\": 4294967296}", "grace_period_seconds"),
                arguments("{\"grace_period_seconds\": \"10\"}", "grace_period_seconds"),
                arguments("{\"grace_period_seconds\": 1.5}", "grace_period_seconds"),
                arguments("{\"grace_period_seconds\": true}", "grace_period_seconds"),
                arguments("[]", "body"));
    }

    @ParameterizedTest
    @MethodSource("badGracePeriods")
    void aBadGracePeriodIsA400AndRotatesNothing(String body, String field) {
        String owner = Tokens.forUser(newUser());
        JsonNode old = api.create(owner, "{}");

        Api.Response response = api.rotate(owner, old.get("id").asText(), body);

        assertThat(response.status()).as(body).isEqualTo(400);
        assertProblem(response, 400);
        assertThat(response.json().get("errors")).extracting(error -> error.get("field").asText()).contains(field);
        assertThat(only(api.get(KEYS, owner).json()).get("expires_at").isNull()).isTrue();
        assertThat(api.verifyCode(verifier, old.get("key").asText())).isEqualTo("VALID");
    }

    @Test
    void rotationIsAuditedOnBothKeys() {
        String user = newUser();
        String owner = Tokens.forUser(user, "org-a");
        JsonNode old = api.create(owner, "{\"name\": \"audited\", \"scopes\": [\"models:read\"], \"organization_id\": \"org-a\"}");
        String oldId = old.get("id").asText();
        JsonNode issued = api.rotate(owner, oldId, "{\"grace_period_seconds\": 60}").json();
        String newId = issued.get("id").asText();
        Instant oldExpiresAt = Instant.parse(byId(api.get(KEYS, owner).json(), oldId).get("expires_at").asText());

        try (AuditTopic topic = new AuditTopic(bootstrapServers())) {
            List<AuditTopic.AuditRecord> oldRecords = topic.awaitRecordsOfKey(oldId, 2, Duration.ofSeconds(30));
            List<AuditTopic.AuditRecord> newRecords = topic.awaitRecordsOfKey(newId, 1, Duration.ofSeconds(30));

            assertThat(oldRecords).extracting(AuditTopic.AuditRecord::type)
                    .containsExactly("apikey.created", "apikey.rotated");
            AuditTopic.AuditRecord rotated = oldRecords.get(1);
            assertThat(rotated.value().get("replaced_by").asText()).isEqualTo(newId);
            assertThat(rotated.value().has("rotated_from")).isFalse();
            assertThat(rotated.value().get("sequence").asLong()).isEqualTo(1);
            assertThat(Instant.parse(rotated.value().get("expires_at").asText())).isEqualTo(oldExpiresAt);
            assertThat(rotated.header("ce_subject")).isEqualTo(oldId);
            assertThat(oldRecords.get(0).value().has("replaced_by")).isFalse();
            assertThat(oldRecords.get(0).value().has("rotated_from")).isFalse();

            assertThat(newRecords).extracting(AuditTopic.AuditRecord::type).containsExactly("apikey.created");
            AuditTopic.AuditRecord created = newRecords.get(0);
            assertThat(created.value().get("rotated_from").asText()).isEqualTo(oldId);
            assertThat(created.value().has("replaced_by")).isFalse();
            assertThat(created.value().get("sequence").asLong()).isZero();
            assertThat(created.value().get("name").asText()).isEqualTo("audited");
            assertThat(created.value().get("organization_id").asText()).isEqualTo("org-a");
            assertThat(created.value().get("user_id").asText()).isEqualTo(user);
            assertThat(created.value().get("actor_id").asText()).isEqualTo(user);
            assertThat(created.value().get("key_prefix").asText()).isEqualTo(issued.get("key_prefix").asText());
            assertThat(created.header("ce_subject")).isEqualTo(newId);

            List<AuditTopic.AuditRecord> all = new ArrayList<>(oldRecords);
            all.addAll(newRecords);
            assertThat(all).allSatisfy(record -> {
                assertThat(record.schemaViolations()).isEmpty();
                String raw = new String(record.rawValue(), StandardCharsets.UTF_8) + record.headers();
                assertThat(raw).doesNotContain(old.get("key").asText()).doesNotContain(sha256(old.get("key").asText()))
                        .doesNotContain(issued.get("key").asText()).doesNotContain(sha256(issued.get("key").asText()));
            });
        }
    }

    // --- usage ------------------------------------------------------------------------------

    @Test
    void aValidVerificationSetsLastUsedAtWithinTheFlushInterval() {
        String owner = Tokens.forUser(newUser());
        JsonNode created = api.create(owner, "{}");
        String id = created.get("id").asText();
        assertThat(lastUsedAt(owner, id)).isNull();

        Instant before = clock.instant();
        assertThat(api.verifyCode(verifier, created.get("key").asText())).isEqualTo("VALID");
        Instant after = clock.instant();

        Instant lastUsedAt = await().atMost(USAGE_VISIBLE_WITHIN).pollInterval(Duration.ofMillis(20))
                .until(() -> lastUsedAt(owner, id), Objects::nonNull);
        assertThat(lastUsedAt).isBetween(before, after);
        Api.Response toggled = api.put(KEYS + "/" + id, owner);
        assertThat(Instant.parse(toggled.json().get("last_used_at").asText())).isEqualTo(lastUsedAt);
    }

    /**
     * At most one usage fact per key and interval: a burst's first use may be recorded at once and
     * the rest together one interval later, so the burst yields one or two records, never more, and
     * never two within an interval ({@code ce_time} is when the fact was appended).
     */
    @Test
    void aBurstOfVerificationsIsCoalescedIntoAtMostOneUsageRecordPerInterval() {
        String user = newUser();
        String owner = Tokens.forUser(user);
        JsonNode created = api.create(owner, "{}");
        String id = created.get("id").asText();
        String key = created.get("key").asText();

        long burstStart = System.nanoTime();
        Instant lastVerificationStarted = null;
        for (int i = 0; i < 20; i++) {
            lastVerificationStarted = clock.instant();
            assertThat(api.verifyCode(verifier, key)).isEqualTo("VALID");
        }
        Instant burstEnded = clock.instant();
        Duration burst = Duration.ofNanos(System.nanoTime() - burstStart);

        Instant lastUse = lastVerificationStarted;
        Instant lastUsedAt = await().atMost(USAGE_VISIBLE_WITHIN).pollInterval(Duration.ofMillis(20))
                .until(() -> lastUsedAt(owner, id), used -> used != null && !used.isBefore(lastUse));
        assertThat(lastUsedAt).isBetween(lastVerificationStarted, burstEnded);
        try (AuditTopic topic = new AuditTopic(bootstrapServers())) {
            List<AuditTopic.AuditRecord> records = topic.awaitRecordsOfKey(id,
                    seen -> seen.stream().anyMatch(r -> "apikey.used".equals(r.type())
                            && Instant.parse(r.value().get("last_used_at").asText()).equals(lastUsedAt)),
                    Duration.ofSeconds(30));
            List<AuditTopic.AuditRecord> used = records.stream().filter(r -> "apikey.used".equals(r.type())).toList();
            System.out.printf("20 verifications in %d ms made %d apikey.used records%n", burst.toMillis(), used.size());

            assertThat(used).hasSizeBetween(1, 2 + (int) (burst.toMillis() / FLUSH_INTERVAL.toMillis()));
            for (int i = 1; i < used.size(); i++) {
                Duration apart = Duration.between(Instant.parse(used.get(i - 1).header("ce_time")),
                        Instant.parse(used.get(i).header("ce_time")));
                // Wall clock against the flusher's monotonic one: a few milliseconds of leeway.
                assertThat(apart).isGreaterThanOrEqualTo(FLUSH_INTERVAL.minusMillis(10));
            }
            assertThat(Instant.parse(used.get(used.size() - 1).value().get("last_used_at").asText()))
                    .isEqualTo(lastUsedAt);
            assertThat(records).extracting(r -> r.value().get("sequence").asLong())
                    .containsExactlyElementsOf(IntStream.range(0, records.size()).mapToObj(Long::valueOf).toList());
            assertThat(used).allSatisfy(record -> {
                assertThat(record.schemaViolations()).isEmpty();
                assertThat(record.key()).isEqualTo(id);
                assertThat(record.header("ce_subject")).isEqualTo(id);
                assertThat(record.header("ce_specversion")).isEqualTo("1.0");
                assertThat(record.header("content-type")).isEqualTo("application/json");
                assertThat(record.value().get("user_id").asText()).isEqualTo(user);
                assertThat(Instant.parse(record.value().get("last_used_at").asText()))
                        .isBetween(Instant.parse(records.get(0).value().get("occurred_at").asText()), burstEnded);
                String raw = new String(record.rawValue(), StandardCharsets.UTF_8) + record.headers();
                assertThat(raw).doesNotContain(key).doesNotContain(sha256(key));
            });
        }
    }

    @Test
    void onlyValidVerificationsAreRecordedAsUse() {
        String owner = Tokens.forUser(newUser());
        JsonNode created = api.create(owner, "{\"scopes\": [\"models:read\"]}");
        String id = created.get("id").asText();
        String key = created.get("key").asText();
        JsonNode control = api.create(owner, "{}");

        String corrupted = key.substring(0, 40) + (key.charAt(40) == 'a' ? 'b' : 'a');
        assertThat(api.verifyCode(verifier, corrupted)).isEqualTo("MALFORMED");
        assertThat(api.verifyCode(verifier, key, "models:write")).isEqualTo("INSUFFICIENT_SCOPES");
        api.put(KEYS + "/" + id, owner);
        assertThat(api.verifyCode(verifier, key)).isEqualTo("DISABLED");
        // The recorder takes every key noted so far at each tick: once this use shows, any use of
        // the key noted before it would show too.
        assertThat(api.verifyCode(verifier, control.get("key").asText())).isEqualTo("VALID");
        await().atMost(USAGE_VISIBLE_WITHIN).pollInterval(Duration.ofMillis(20))
                .until(() -> lastUsedAt(owner, control.get("id").asText()), Objects::nonNull);

        assertThat(lastUsedAt(owner, id)).isNull();
        api.put(KEYS + "/" + id, owner);
        try (AuditTopic topic = new AuditTopic(bootstrapServers())) {
            // The key's records are in order, so any usage record would come before this enable.
            List<AuditTopic.AuditRecord> records = topic.awaitRecordsOfKey(id,
                    seen -> seen.stream().anyMatch(r -> "apikey.enabled".equals(r.type())), Duration.ofSeconds(30));
            assertThat(records).extracting(AuditTopic.AuditRecord::type)
                    .containsExactly("apikey.created", "apikey.disabled", "apikey.enabled");
        }
    }

    @Test
    void lastUsedAtSurvivesARebuildOfTheReadModel() {
        String owner = Tokens.forUser(newUser());
        JsonNode created = api.create(owner, "{}");
        String id = created.get("id").asText();
        assertThat(api.verifyCode(verifier, created.get("key").asText())).isEqualTo("VALID");
        Instant lastUsedAt = await().atMost(USAGE_VISIBLE_WITHIN).pollInterval(Duration.ofMillis(20))
                .until(() -> lastUsedAt(owner, id), Objects::nonNull);
        // Gone from the table, it can come back only from the usage facts in the event store.
        JdbcTemplate database = context.getBean(JdbcTemplate.class);
        assertThat(database.update("update read_model.api_key set last_used_at = null where id = ?", UUID.fromString(id)))
                .isEqualTo(1);
        assertThat(lastUsedAt(owner, id)).isNull();

        StreamingEventProcessor readModel = context.getBean(EventProcessingConfiguration.class)
                .eventProcessor("apikey-read-model", StreamingEventProcessor.class).orElseThrow();
        readModel.shutDown();
        readModel.resetTokens();
        readModel.start();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Api.Response listing = api.get(KEYS, owner);
            assertThat(listing.status()).isEqualTo(200);
            JsonNode key = only(listing.json());
            assertThat(key.get("last_used_at").isNull()).isFalse();
            assertThat(Instant.parse(key.get("last_used_at").asText())).isEqualTo(lastUsedAt);
        });
    }

    // --- helpers ----------------------------------------------------------------------------

    private String bootstrapServers() {
        return context.getEnvironment().getRequiredProperty("apikeys.audit.bootstrap-servers");
    }

    private static Instant lastUsedAt(String owner, String id) {
        Api.Response listing = api.get(KEYS, owner);
        assertThat(listing.status()).isEqualTo(200);
        JsonNode lastUsedAt = byId(listing.json(), id).get("last_used_at");
        return lastUsedAt.isNull() ? null : Instant.parse(lastUsedAt.asText());
    }

    private static JsonNode byId(JsonNode keys, String id) {
        List<JsonNode> matching = new ArrayList<>();
        keys.forEach(key -> {
            if (key.get("id").asText().equals(id)) {
                matching.add(key);
            }
        });
        assertThat(matching).as("keys with id %s", id).hasSize(1);
        return matching.get(0);
    }

    private static List<String> scopes(String spaceSeparated) {
        return Arrays.stream(spaceSeparated.trim().split("\\s+")).filter(scope -> !scope.isEmpty()).toList();
    }

    private static String jsonArray(List<String> strings) {
        ArrayNode array = JSON.createArrayNode();
        strings.forEach(array::add);
        return array.toString();
    }

    /** Right shape and checksum, so only a lookup can tell it was never issued. */
    private static String neverIssuedKey() {
        String body = "sk_" + randomBase62(32);
        return body + checksum(body);
    }

    private static String randomBase62(int length) {
        SecureRandom random = new SecureRandom();
        StringBuilder characters = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            characters.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        return characters.toString();
    }
}
