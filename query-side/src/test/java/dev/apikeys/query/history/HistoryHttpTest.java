package dev.apikeys.query.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.query.EventsElsewhere;
import dev.apikeys.query.SharedPostgres;
import dev.apikeys.query.TestTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

/**
 * A key's history and the keys as of an instant, over HTTP on a real PostgreSQL, with the events
 * appended in transactions of their own as the command side (and, for usage, the verification) in
 * another process would. The events carry instants of their own, so "as of" is exact.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apikeys.security.hmac-secret=" + TestTokens.SECRET,
        "apikeys.audit.bootstrap-servers=127.0.0.1:9",
})
// Closed afterwards: left running, its processors would share the token table with the next test
// class's process and take over segments that test stops on purpose.
@DirtiesContext
class HistoryHttpTest {

    private static final String API = "/api/v1/me/apikeys";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

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

    private final ObjectMapper json = new ObjectMapper();
    private RestClient http;
    private String user;

    @BeforeEach
    void setUp() {
        http = RestClient.builder().baseUrl("http://localhost:" + port).build();
        user = "user-" + UUID.randomUUID();
    }

    @Test
    void historyListsTheKeysLifecycleAndUsageInStoredOrderWithTheirOwnFieldsAlsoAfterDeletion() throws Exception {
        UUID keyId = UUID.randomUUID();
        UUID newKeyId = UUID.randomUUID();
        Instant expiresAt = T0.plusSeconds(90 * 86_400);
        Instant graceEnd = T0.plusSeconds(7_200);
        appendElsewhere(lifecycle(keyId, 0, created(keyId, T0, expiresAt, null)));
        appendElsewhere(usage(keyId, 0, new ApiKeyUsed(keyId, user, T0.plusSeconds(5))));
        appendElsewhere(lifecycle(keyId, 1, new ApiKeyDisabled(keyId, user, T0.plusSeconds(10))));
        appendElsewhere(lifecycle(keyId, 2, new ApiKeyEnabled(keyId, user, T0.plusSeconds(20))));
        appendElsewhere(
                lifecycle(keyId, 3, new ApiKeyRotated(keyId, user, newKeyId, graceEnd, T0.plusSeconds(30))),
                lifecycle(newKeyId, 0, created(newKeyId, T0.plusSeconds(30), expiresAt, keyId)));
        appendElsewhere(usage(keyId, 1, new ApiKeyUsed(keyId, user, T0.plusSeconds(35))));
        appendElsewhere(lifecycle(keyId, 4, new ApiKeyDeleted(keyId, user, T0.plusSeconds(40))));

        JsonNode history = history(user, keyId);

        assertThat(history).hasSize(7);
        for (int i = 0; i < history.size(); i++) {
            assertThat(history.get(i).path("sequence").asLong()).isEqualTo(i);
            assertThat(history.get(i).path("actor_id").asText()).isEqualTo(user);
        }
        assertThat(history).extracting(entry -> entry.path("type").asText()).containsExactly(
                "apikey.created", "apikey.used", "apikey.disabled", "apikey.enabled", "apikey.rotated",
                "apikey.used", "apikey.deleted");
        assertThat(history).extracting(entry -> Instant.parse(entry.path("occurred_at").asText())).containsExactly(
                T0, T0.plusSeconds(5), T0.plusSeconds(10), T0.plusSeconds(20), T0.plusSeconds(30), T0.plusSeconds(35),
                T0.plusSeconds(40));

        JsonNode created = history.get(0);
        assertThat(fieldNames(created)).containsExactlyInAnyOrder("sequence", "type", "occurred_at", "actor_id",
                "name", "scopes", "expires_at", "organization_id", "metadata", "allowed_cidrs", "rate_limit",
                "credits");
        assertThat(created.path("name").asText()).isEqualTo("ci-deploy");
        assertThat(created.path("scopes")).extracting(JsonNode::asText).containsExactly("models:read", "workflows:*");
        assertThat(Instant.parse(created.path("expires_at").asText())).isEqualTo(expiresAt);
        assertThat(created.path("organization_id").asText()).isEqualTo("org-1");

        JsonNode used = history.get(1);
        assertThat(fieldNames(used)).containsExactlyInAnyOrder("sequence", "type", "occurred_at", "actor_id",
                "last_used_at");
        assertThat(Instant.parse(used.path("last_used_at").asText())).isEqualTo(T0.plusSeconds(5));
        assertThat(fieldNames(history.get(2))).containsExactlyInAnyOrder("sequence", "type", "occurred_at", "actor_id");
        assertThat(fieldNames(history.get(6))).containsExactlyInAnyOrder("sequence", "type", "occurred_at", "actor_id");

        JsonNode rotated = history.get(4);
        assertThat(fieldNames(rotated)).containsExactlyInAnyOrder("sequence", "type", "occurred_at", "actor_id",
                "replaced_by", "expires_at");
        assertThat(rotated.path("replaced_by").asText()).isEqualTo(newKeyId.toString());
        assertThat(Instant.parse(rotated.path("expires_at").asText())).isEqualTo(graceEnd);

        JsonNode newKeysHistory = history(user, newKeyId);
        assertThat(newKeysHistory).hasSize(1);
        assertThat(newKeysHistory.get(0).path("rotated_from").asText()).isEqualTo(keyId.toString());
    }

    @Test
    void aKeyThatNeverExpiresAndHasNoOrganizationShowsThemAsNull() throws Exception {
        UUID keyId = UUID.randomUUID();
        appendElsewhere(lifecycle(keyId, 0, new ApiKeyCreated(keyId, user, null, "", "sk_12345", hash(), List.of(),
                null, T0, null)));

        JsonNode created = history(user, keyId).get(0);

        assertThat(created.has("organization_id")).isTrue();
        assertThat(created.path("organization_id").isNull()).isTrue();
        assertThat(created.path("expires_at").isNull()).isTrue();
        assertThat(created.path("scopes")).isEmpty();
    }

    @Test
    void historyComesInPagesEachLinkingToTheNext() throws Exception {
        UUID keyId = toggledKey(150);

        ResponseEntity<String> first = get(user, API + "/" + keyId + "/history");
        assertThat(sequences(first)).as("100 by default").containsExactlyElementsOf(range(0, 100));
        ResponseEntity<String> second = get(user, nextPage(first));
        assertThat(sequences(second)).containsExactlyElementsOf(range(100, 150));
        assertThat(second.getHeaders().get(HttpHeaders.LINK)).as("the last page").isNull();

        ResponseEntity<String> small = get(user, API + "/" + keyId + "/history?limit=40&after=129");
        assertThat(sequences(small)).containsExactlyElementsOf(range(130, 150));
        assertThat(small.getHeaders().get(HttpHeaders.LINK)).isNull();
        ResponseEntity<String> exact = get(user, API + "/" + keyId + "/history?limit=50&after=49");
        assertThat(sequences(exact)).containsExactlyElementsOf(range(50, 100));
        assertThat(sequences(get(user, nextPage(exact)))).containsExactlyElementsOf(range(100, 150));
        assertThat(sequences(get(user, API + "/" + keyId + "/history?limit=1000"))).hasSize(150);
        assertThat(sequences(get(user, API + "/" + keyId + "/history?after=149"))).isEmpty();
    }

    /**
     * Pages past the first thousand entries read from the mark before them, numbered as from the
     * start; "as of" folds from the marks, skipping only blocks that all happened later. Entry 1500
     * is a use that happened long before the entries around it, stored late.
     */
    @Test
    void aLongHistoryIsPagedAndLookedBackAtAsIfReadFromTheStart() throws Exception {
        UUID keyId = UUID.randomUUID();
        List<String> expected = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        List<DomainEventMessage<?>> events = new ArrayList<>();
        long lifecycle = 0;
        long usage = 0;
        for (int entry = 0; entry < 2_600; entry++) {
            Instant at = T0.plusSeconds(entry == 1_500 ? 100 : entry);
            times.add(at);
            if (entry == 0) {
                events.add(lifecycle(keyId, lifecycle++, created(keyId, at, null, null)));
                expected.add("apikey.created");
            } else if (entry % 3 == 0) {
                events.add(usage(keyId, usage++, new ApiKeyUsed(keyId, user, at)));
                expected.add("apikey.used");
            } else {
                boolean disable = lifecycle % 2 == 1;
                events.add(lifecycle(keyId, lifecycle++, disable
                        ? new ApiKeyDisabled(keyId, user, at) : new ApiKeyEnabled(keyId, user, at)));
                expected.add(disable ? "apikey.disabled" : "apikey.enabled");
            }
            if (events.size() == 100) {
                appendElsewhere(events.toArray(DomainEventMessage[]::new));
                events.clear();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from read_model.key_history_mark where key_id = ?", Long.class, keyId) == 2);

        List<String> types = new ArrayList<>();
        String page = API + "/" + keyId + "/history?limit=1000";
        for (int pages = 0; page != null; pages++) {
            assertThat(pages).isLessThan(3);
            ResponseEntity<String> answer = get(user, page);
            assertThat(sequences(answer)).containsExactlyElementsOf(range(types.size(), types.size()
                    + json.readTree(answer.getBody()).size()));
            types.addAll(types(answer));
            page = answer.getHeaders().getFirst(HttpHeaders.LINK) == null ? null : nextPage(answer);
        }
        assertThat(types).containsExactlyElementsOf(expected);
        assertThat(sequences(get(user, API + "/" + keyId + "/history?after=1499&limit=7")))
                .containsExactlyElementsOf(range(1500, 1507));
        assertThat(types(get(user, API + "/" + keyId + "/history?after=1997&limit=5")))
                .containsExactlyElementsOf(expected.subList(1998, 2003));
        assertThat(sequences(get(user, API + "/" + keyId + "/history?after=2599"))).isEmpty();
        assertThat(get(user.concat("-not"), API + "/" + keyId + "/history?after=2100").getStatusCode().value())
                .isEqualTo(404);

        for (long second : new long[] {50, 100, 999, 1_000, 1_499, 1_500, 2_001, 2_599}) {
            Instant asOf = T0.plusSeconds(second).plusMillis(500);
            boolean disabled = false;
            Instant lastUsedAt = null;
            for (int entry = 1; entry < expected.size(); entry++) {
                Instant at = times.get(entry);
                if (!at.isAfter(asOf)) {
                    disabled = expected.get(entry).equals("apikey.used") ? disabled
                            : expected.get(entry).equals("apikey.disabled");
                    lastUsedAt = expected.get(entry).equals("apikey.used") && (lastUsedAt == null || at.isAfter(lastUsedAt))
                            ? at : lastUsedAt;
                }
            }
            JsonNode key = single(asOf(asOf));
            assertThat(key.path("disabled").asBoolean()).as("disabled as of %s", asOf).isEqualTo(disabled);
            assertThat(Instant.parse(key.path("last_used_at").asText())).as("last used as of %s", asOf)
                    .isEqualTo(lastUsedAt);
        }
    }

    /** A mark where the key's streams do not divide (as a position that was off would leave) is passed over. */
    @Test
    void aMarkThatDoesNotDivideTheStreamsIsPassedOver() throws Exception {
        UUID keyId = toggledKey(150);
        jdbc.update("insert into read_model.key_history_mark (key_id, sequence, lifecycle, usage, state) values (?, 100, 50, 7, ?::jsonb)",
                keyId, "{\"userId\": \"" + user + "\", \"scopes\": [], \"position\": {\"lifecycle\": 49, \"usage\": 6}}");

        assertThat(sequences(get(user, API + "/" + keyId + "/history?after=120")))
                .containsExactlyElementsOf(range(121, 150));
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=1001", "limit=-5", "limit=ten", "after=-1", "after=first"})
    void aLimitOrAfterOutOfRangeIsA400NamingIt(String query) throws Exception {
        UUID keyId = toggledKey(3);

        ResponseEntity<String> answer = get(user, API + "/" + keyId + "/history?" + query);

        assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(400);
        assertThat(json.readTree(answer.getBody()).path("errors").get(0).path("field").asText())
                .isEqualTo(query.substring(0, query.indexOf('=')));
    }

    @Test
    void anotherUsersKeyAndAnUnknownIdAnswerTheSame404() throws Exception {
        UUID othersKey = UUID.randomUUID();
        appendElsewhere(lifecycle(othersKey, 0, new ApiKeyCreated(othersKey, "someone-else", null, "theirs",
                "sk_12345", hash(), List.of(), null, T0, null)));

        ResponseEntity<String> others = get(user, API + "/" + othersKey + "/history");
        ResponseEntity<String> unknown = get(user, API + "/" + UUID.randomUUID() + "/history");

        assertThat(others.getStatusCode().value()).isEqualTo(404);
        assertThat(others.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        // Only "instance", the path the caller asked for, may differ.
        assertThat(withoutInstance(others)).isEqualTo(withoutInstance(unknown));
        assertThat(withoutInstance(others).path("type").asText()).isEqualTo("/problems/api-key-not-found");
        assertThat(get("someone-else", API + "/" + othersKey + "/history").getStatusCode().value()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "1-2-3-4-5", "6f1c0000000000000000000000000000"})
    void aMalformedIdIsA400NamingIt(String id) throws Exception {
        ResponseEntity<String> answer = get(user, API + "/" + id + "/history");

        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(json.readTree(answer.getBody()).path("errors").get(0).path("field").asText()).isEqualTo("id");
    }

    @Test
    void asOfShowsTheKeysAsTheyStoodAtEachInstant() throws Exception {
        UUID keyId = UUID.randomUUID();
        UUID newKeyId = UUID.randomUUID();
        UUID laterKeyId = UUID.randomUUID();
        Instant expiresAt = T0.plusSeconds(90 * 86_400);
        Instant graceEnd = T0.plusSeconds(7_200);
        appendElsewhere(lifecycle(keyId, 0, created(keyId, T0, expiresAt, null)));
        appendElsewhere(usage(keyId, 0, new ApiKeyUsed(keyId, user, T0.plusSeconds(5))));
        appendElsewhere(lifecycle(keyId, 1, new ApiKeyDisabled(keyId, user, T0.plusSeconds(10))));
        appendElsewhere(lifecycle(keyId, 2, new ApiKeyEnabled(keyId, user, T0.plusSeconds(20))));
        appendElsewhere(usage(keyId, 1, new ApiKeyUsed(keyId, user, T0.plusSeconds(25))));
        appendElsewhere(
                lifecycle(keyId, 3, new ApiKeyRotated(keyId, user, newKeyId, graceEnd, T0.plusSeconds(30))),
                lifecycle(newKeyId, 0, created(newKeyId, T0.plusSeconds(30), expiresAt, keyId)));
        appendElsewhere(lifecycle(keyId, 4, new ApiKeyDeleted(keyId, user, T0.plusSeconds(40))));
        appendElsewhere(lifecycle(laterKeyId, 0, created(laterKeyId, T0.plusSeconds(50), null, null)));

        assertThat(asOf(T0.minusMillis(1))).isEmpty();

        JsonNode atCreation = single(asOf(T0));
        assertThat(atCreation.path("id").asText()).isEqualTo(keyId.toString());
        assertThat(Instant.parse(atCreation.path("created_at").asText())).isEqualTo(T0);
        assertThat(Instant.parse(atCreation.path("updated_at").asText())).isEqualTo(T0);
        assertThat(atCreation.path("last_used_at").isNull()).isTrue();
        assertThat(Instant.parse(atCreation.path("expires_at").asText())).isEqualTo(expiresAt);
        assertThat(atCreation.path("disabled").asBoolean()).isFalse();
        assertThat(atCreation.path("user_id").asText()).isEqualTo(user);
        assertThat(atCreation.path("organization_id").asText()).isEqualTo("org-1");
        assertThat(atCreation.path("name").asText()).isEqualTo("ci-deploy");
        assertThat(atCreation.path("key_prefix").asText()).isEqualTo("sk_12345");
        assertThat(atCreation.path("scopes")).extracting(JsonNode::asText).containsExactly("models:read", "workflows:*");
        assertThat(fieldNames(atCreation)).containsExactlyInAnyOrder("id", "created_at", "updated_at", "user_id",
                "organization_id", "name", "key_prefix", "scopes", "last_used_at", "expires_at", "disabled", "metadata",
                "allowed_cidrs", "rate_limit", "credits");

        JsonNode whileDisabled = single(asOf(T0.plusSeconds(15)));
        assertThat(whileDisabled.path("disabled").asBoolean()).isTrue();
        assertThat(Instant.parse(whileDisabled.path("updated_at").asText())).isEqualTo(T0.plusSeconds(10));
        assertThat(Instant.parse(whileDisabled.path("last_used_at").asText())).isEqualTo(T0.plusSeconds(5));

        JsonNode atEnabling = single(asOf(T0.plusSeconds(20)));
        assertThat(atEnabling.path("disabled").asBoolean()).isFalse();
        assertThat(Instant.parse(atEnabling.path("updated_at").asText())).isEqualTo(T0.plusSeconds(20));
        assertThat(Instant.parse(atEnabling.path("last_used_at").asText())).isEqualTo(T0.plusSeconds(5));

        JsonNode beforeRotation = single(asOf(T0.plusSeconds(29)));
        assertThat(Instant.parse(beforeRotation.path("expires_at").asText())).isEqualTo(expiresAt);
        assertThat(Instant.parse(beforeRotation.path("last_used_at").asText())).isEqualTo(T0.plusSeconds(25));

        JsonNode afterRotation = asOf(T0.plusSeconds(35));
        assertThat(afterRotation).extracting(key -> key.path("id").asText())
                .containsExactly(newKeyId.toString(), keyId.toString());
        assertThat(Instant.parse(afterRotation.get(1).path("expires_at").asText())).isEqualTo(graceEnd);
        assertThat(Instant.parse(afterRotation.get(1).path("updated_at").asText())).isEqualTo(T0.plusSeconds(30));
        assertThat(Instant.parse(afterRotation.get(0).path("expires_at").asText())).isEqualTo(expiresAt);

        assertThat(asOf(T0.plusSeconds(40))).extracting(key -> key.path("id").asText())
                .containsExactly(newKeyId.toString());
        assertThat(asOf(T0.plusSeconds(60))).extracting(key -> key.path("id").asText())
                .containsExactly(laterKeyId.toString(), newKeyId.toString());
    }

    @Test
    void asOfNowIsWhatThePlainListingShows() throws Exception {
        UUID keyId = UUID.randomUUID();
        UUID deletedKeyId = UUID.randomUUID();
        appendElsewhere(lifecycle(keyId, 0, created(keyId, T0, null, null)));
        appendElsewhere(usage(keyId, 0, new ApiKeyUsed(keyId, user, T0.plusSeconds(5))));
        appendElsewhere(lifecycle(keyId, 1, new ApiKeyDisabled(keyId, user, T0.plusSeconds(10))));
        appendElsewhere(lifecycle(deletedKeyId, 0, created(deletedKeyId, T0.plusSeconds(1), null, null)));
        appendElsewhere(lifecycle(deletedKeyId, 1, new ApiKeyDeleted(deletedKeyId, user, T0.plusSeconds(2))));

        JsonNode listing = json.readTree(get(user, API).getBody());

        assertThat(listing).hasSize(1);
        assertThat(asOf(Instant.now())).isEqualTo(listing);
    }

    @Test
    void asOfTakesAnOffsetAsTheSameInstant() throws Exception {
        UUID keyId = UUID.randomUUID();
        appendElsewhere(lifecycle(keyId, 0, created(keyId, T0, null, null)));

        assertThat(asOf("2026-03-01T11:00:00+01:00")).hasSize(1);
        assertThat(asOf("2026-03-01T10:59:59.999+01:00")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2026-03-01", "2026-03-01T10:00:00", "garbage", "2026-13-01T10:00:00Z",
            "1772359200"})
    void aMalformedAsOfIsA400NamingIt(String asOf) throws Exception {
        ResponseEntity<String> answer = get(user, API + "?as_of=" + URLEncoder.encode(asOf, StandardCharsets.UTF_8));

        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(json.readTree(answer.getBody()).path("errors").get(0).path("field").asText()).isEqualTo("as_of");
    }

    @Test
    void withoutATokenBothAre401() {
        int asOf = http.get().uri(API + "?as_of=2026-03-01T10:00:00Z")
                .exchange((request, answer) -> answer.getStatusCode().value());
        int history = http.get().uri(API + "/" + UUID.randomUUID() + "/history")
                .exchange((request, answer) -> answer.getStatusCode().value());

        assertThat(asOf).isEqualTo(401);
        assertThat(history).isEqualTo(401);
    }

    private ApiKeyCreated created(UUID keyId, Instant at, Instant expiresAt, UUID rotatedFrom) {
        return new ApiKeyCreated(keyId, user, "org-1", "ci-deploy", "sk_12345", hash(),
                List.of("models:read", "workflows:*"), expiresAt, at, rotatedFrom);
    }

    private JsonNode history(String userId, UUID keyId) throws Exception {
        ResponseEntity<String> answer = get(userId, API + "/" + keyId + "/history");
        assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(200);
        return json.readTree(answer.getBody());
    }

    /** A key of the user's, created and then disabled and enabled in turn: {@code entries} in all. */
    private UUID toggledKey(int entries) {
        UUID keyId = UUID.randomUUID();
        List<DomainEventMessage<?>> events = new ArrayList<>();
        events.add(lifecycle(keyId, 0, created(keyId, T0, null, null)));
        for (int sequence = 1; sequence < entries; sequence++) {
            Instant at = T0.plusSeconds(sequence);
            events.add(lifecycle(keyId, sequence, sequence % 2 == 1
                    ? new ApiKeyDisabled(keyId, user, at) : new ApiKeyEnabled(keyId, user, at)));
        }
        appendElsewhere(events.toArray(DomainEventMessage[]::new));
        return keyId;
    }

    private List<Long> sequences(ResponseEntity<String> answer) throws Exception {
        assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(200);
        List<Long> sequences = new ArrayList<>();
        json.readTree(answer.getBody()).forEach(entry -> sequences.add(entry.path("sequence").asLong()));
        return sequences;
    }

    private List<String> types(ResponseEntity<String> answer) throws Exception {
        assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        json.readTree(answer.getBody()).forEach(entry -> types.add(entry.path("type").asText()));
        return types;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    /** The path and query of the next page, from the answer's Link header. */
    private String nextPage(ResponseEntity<String> answer) {
        String link = answer.getHeaders().getFirst(HttpHeaders.LINK);
        assertThat(link).as("a Link to the next page").isNotNull().endsWith(">; rel=\"next\"");
        URI next = URI.create(link.substring(1, link.indexOf('>')));
        assertThat(next.getPort()).isEqualTo(port);
        return next.getRawPath() + "?" + next.getRawQuery();
    }

    private JsonNode asOf(Instant instant) throws Exception {
        return asOf(instant.toString());
    }

    private JsonNode asOf(String instant) throws Exception {
        ResponseEntity<String> answer = get(user, API + "?as_of=" + URLEncoder.encode(instant, StandardCharsets.UTF_8));
        assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(200);
        return json.readTree(answer.getBody());
    }

    private JsonNode withoutInstance(ResponseEntity<String> answer) throws Exception {
        ObjectNode problem = (ObjectNode) json.readTree(answer.getBody());
        problem.remove("instance");
        return problem;
    }

    private static JsonNode single(JsonNode keys) {
        assertThat(keys).hasSize(1);
        return keys.get(0);
    }

    private ResponseEntity<String> get(String userId, String uri) {
        return http.get().uri(URI.create("http://localhost:" + port + uri))
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(userId))
                .exchange((request, answer) -> ResponseEntity.status(answer.getStatusCode())
                        .headers(answer.getHeaders())
                        .body(new String(answer.getBody().readAllBytes(), StandardCharsets.UTF_8)));
    }

    /** Appends in its own committed transaction, without the local event store noticing. */
    private void appendElsewhere(DomainEventMessage<?>... events) {
        EventsElsewhere.append(transaction, storageEngine, events);
    }

    private DomainEventMessage<?> lifecycle(UUID keyId, long sequence, Object payload) {
        return EventsElsewhere.ofKey(keyId, sequence, payload, user);
    }

    private DomainEventMessage<?> usage(UUID keyId, long sequence, ApiKeyUsed payload) {
        return EventsElsewhere.ofUsage(keyId, sequence, payload, user);
    }

    private static String hash() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
