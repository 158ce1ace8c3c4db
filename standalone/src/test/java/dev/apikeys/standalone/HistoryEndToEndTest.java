package dev.apikeys.standalone;

import static dev.apikeys.standalone.Api.KEYS;
import static dev.apikeys.standalone.KeyLifecycleSuite.assertProblem;
import static dev.apikeys.standalone.KeyLifecycleSuite.sha256;
import static dev.apikeys.standalone.JsonNodes.only;
import static dev.apikeys.standalone.JsonNodes.withoutInstance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * History and "as of" over HTTP into one standalone process, after real writes
 * through the command side and a real verification. The process keeps time by a clock the test
 * sets, so every event has an instant of its own to look back at.
 */
class HistoryEndToEndTest {

    private static ConfigurableApplicationContext context;
    private static MutableClock clock;
    private static Api api;

    @BeforeAll
    static void start() {
        Map<String, String> properties = new LinkedHashMap<>(StandaloneTestProperties.fresh(100));
        properties.put("apikeys.usage.flush-interval", "200ms");
        context = StandaloneTestProperties.start(properties, StandaloneApplication.class,
                VerificationEndToEndTest.ControllableClock.class);
        clock = context.getBean(MutableClock.class);
        api = new Api(StandaloneTestProperties.port(context));
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

    @Test
    void historyAndAsOfShowWhatTheWritesDidAndWhen() {
        String user = "user-" + UUID.randomUUID();
        String owner = Tokens.forUser(user, "org-h");
        Instant t0 = clock.freeze();
        JsonNode created = api.create(owner, """
                {"name": "ci", "scopes": ["models:read"], "organization_id": "org-h", "expires_in_days": 30}""");
        String id = created.get("id").asText();
        Instant expiresAt = Instant.parse(created.get("expires_at").asText());

        clock.setTo(t0.plusSeconds(1));
        assertThat(api.verifyCode(Tokens.verifier(), created.get("key").asText())).isEqualTo("VALID");
        await().atMost(Duration.ofSeconds(10)).until(() -> history(owner, id).size() == 2);
        clock.setTo(t0.plusSeconds(2));
        assertThat(api.put(KEYS + "/" + id, owner).status()).isEqualTo(200);
        clock.setTo(t0.plusSeconds(3));
        assertThat(api.put(KEYS + "/" + id, owner).status()).isEqualTo(200);
        clock.setTo(t0.plusSeconds(4));
        Api.Response rotation = api.rotate(owner, id, "{\"grace_period_seconds\": 60}");
        assertThat(rotation.status()).isEqualTo(201);
        String newId = rotation.json().get("id").asText();
        clock.setTo(t0.plusSeconds(5));
        assertThat(api.delete(KEYS + "/" + id, owner).status()).isEqualTo(204);

        JsonNode history = history(owner, id);
        assertThat(history).extracting(entry -> entry.get("type").asText()).containsExactly("apikey.created",
                "apikey.used", "apikey.disabled", "apikey.enabled", "apikey.rotated", "apikey.deleted");
        assertThat(history).extracting(entry -> entry.get("sequence").asLong()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(history).extracting(entry -> Instant.parse(entry.get("occurred_at").asText())).containsExactly(
                t0, t0.plusSeconds(1), t0.plusSeconds(2), t0.plusSeconds(3), t0.plusSeconds(4), t0.plusSeconds(5));
        assertThat(history.get(0).get("actor_id").asText()).isEqualTo(user);
        assertThat(history.get(1).get("actor_id").asText()).isEqualTo("gateway");
        assertThat(history.get(0).get("organization_id").asText()).isEqualTo("org-h");
        assertThat(Instant.parse(history.get(0).get("expires_at").asText())).isEqualTo(expiresAt);
        assertThat(Instant.parse(history.get(1).get("last_used_at").asText())).isEqualTo(t0.plusSeconds(1));
        assertThat(history.get(4).get("replaced_by").asText()).isEqualTo(newId);
        assertThat(Instant.parse(history.get(4).get("expires_at").asText())).isEqualTo(t0.plusSeconds(64));
        assertThat(history.toString()).doesNotContain(created.get("key").asText())
                .doesNotContain(sha256(created.get("key").asText()));
        assertThat(only(history(owner, newId)).get("rotated_from").asText()).isEqualTo(id);

        assertThat(asOf(owner, t0.minusMillis(1))).isEmpty();
        JsonNode whileDisabled = only(asOf(owner, t0.plusMillis(2500)));
        assertThat(whileDisabled.get("id").asText()).isEqualTo(id);
        assertThat(whileDisabled.get("disabled").asBoolean()).isTrue();
        assertThat(Instant.parse(whileDisabled.get("updated_at").asText())).isEqualTo(t0.plusSeconds(2));
        assertThat(Instant.parse(whileDisabled.get("last_used_at").asText())).isEqualTo(t0.plusSeconds(1));
        assertThat(Instant.parse(whileDisabled.get("expires_at").asText())).isEqualTo(expiresAt);
        JsonNode rotated = asOf(owner, t0.plusSeconds(4));
        assertThat(rotated).extracting(key -> key.get("id").asText()).containsExactly(newId, id);
        assertThat(Instant.parse(rotated.get(1).get("expires_at").asText())).isEqualTo(t0.plusSeconds(64));
        assertThat(rotated.get(1).get("disabled").asBoolean()).isFalse();
        assertThat(asOf(owner, t0.plusSeconds(5))).extracting(key -> key.get("id").asText()).containsExactly(newId);
        assertThat(asOf(owner, t0.plusSeconds(6))).isEqualTo(api.get(KEYS, owner).json());
    }

    @Test
    void historyOfAKeyThatIsNotTheCallersIsTheCommandSides404AndAMalformedIdIs400() {
        String owner = Tokens.forUser("user-" + UUID.randomUUID());
        String stranger = Tokens.forUser("user-" + UUID.randomUUID());
        String id = api.create(owner, "{}").get("id").asText();

        Api.Response others = api.get(KEYS + "/" + id + "/history", stranger);
        Api.Response unknown = api.get(KEYS + "/" + UUID.randomUUID() + "/history", stranger);
        Api.Response commandSide = api.put(KEYS + "/" + id, stranger);

        assertThat(List.of(others.status(), unknown.status(), commandSide.status())).containsOnly(404);
        assertProblem(others, 404);
        assertThat(withoutInstance(others.json())).isEqualTo(withoutInstance(commandSide.json()))
                .isEqualTo(withoutInstance(unknown.json()));
        Api.Response malformed = api.get(KEYS + "/not-a-uuid/history", owner);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("errors").get(0).get("field").asText()).isEqualTo("id");
        Api.Response badInstant = api.get(KEYS + "?as_of=yesterday", owner);
        assertThat(badInstant.status()).isEqualTo(400);
        assertThat(badInstant.json().get("errors").get(0).get("field").asText()).isEqualTo("as_of");
    }

    private static JsonNode history(String token, String id) {
        Api.Response response = api.get(KEYS + "/" + id + "/history", token);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode asOf(String token, Instant instant) {
        Api.Response response = api.get(KEYS + "?as_of=" + instant, token);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
