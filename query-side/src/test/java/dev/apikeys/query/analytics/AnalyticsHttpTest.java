package dev.apikeys.query.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.query.EventsElsewhere;
import dev.apikeys.query.SharedPostgres;
import dev.apikeys.query.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

/**
 * Analytics over HTTP on a real PostgreSQL, the events appended in transactions of their own as the
 * command side in another process would: each GET right after them must count them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apikeys.security.hmac-secret=" + TestTokens.SECRET,
        "apikeys.audit.bootstrap-servers=127.0.0.1:9",
})
class AnalyticsHttpTest {

    private static final String ANALYTICS = "/api/v1/me/apikeys/analytics";
    private static final String[] FIELDS = {"date", "created", "disabled", "enabled", "deleted", "rotated", "used"};

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
    EventProcessingConfiguration processing;

    @Autowired
    KeyActivityTable table;

    private final ObjectMapper json = new ObjectMapper();
    private RestClient http;
    private String user;

    @BeforeEach
    void setUp() {
        http = RestClient.builder().baseUrl("http://localhost:" + port).build();
        user = "user-" + UUID.randomUUID();
    }

    @Test
    void countsTheCallersActivityPerUtcDayWithEveryDayOfTheRange() throws Exception {
        appendHistoryOf(user);

        ResponseEntity<String> response = get(user, "?from=2025-02-28&to=2025-03-04");

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        assertThat(json.readTree(response.getBody())).extracting(this::row).containsExactly(
                "2025-02-28 0 0 0 0 0 0",
                "2025-03-01 1 1 0 0 0 0",
                "2025-03-02 1 0 1 1 1 2",
                "2025-03-03 0 0 0 0 0 0",
                "2025-03-04 0 0 0 0 0 1");
        assertThat(fieldNames(json.readTree(response.getBody()).get(0))).containsExactly(FIELDS);
    }

    @Test
    void withoutParametersItAnswersTheLast30DaysEndingToday() throws Exception {
        LocalDate before = LocalDate.now(ZoneOffset.UTC);
        UUID key = UUID.randomUUID();
        appendElsewhere(event(key, 0, created(key, user, Instant.now())));

        JsonNode days = json.readTree(get(user, "").getBody());

        LocalDate after = LocalDate.now(ZoneOffset.UTC);
        assertThat(days).hasSize(30);
        LocalDate last = LocalDate.parse(days.get(29).get("date").asText());
        assertThat(last).isBetween(before, after);
        assertThat(LocalDate.parse(days.get(0).get("date").asText())).isEqualTo(last.minusDays(29));
        assertThat(days.get(29).get("created").asLong() + days.get(28).get("created").asLong()).isEqualTo(1);
    }

    @Test
    void invalidRangesAre400ProblemsNamingTheParameter() throws Exception {
        assertProblem(get(user, "?from=2025-02-30&to=2025-03-01"), "from");
        assertProblem(get(user, "?from=2025-03-01&to=tomorrow"), "to");
        assertProblem(get(user, "?from=2025-03-02&to=2025-03-01"), "from");
        assertProblem(get(user, "?from=2024-01-01&to=2025-01-01"), "from");
        assertThat(get(user, "?from=2024-01-01&to=2024-12-31").getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void withoutATokenItIs401() {
        int status = http.get().uri(ANALYTICS).exchange((request, answer) -> answer.getStatusCode().value());

        assertThat(status).isEqualTo(401);
    }

    @Test
    void theAnalyticsAreTheSameAfterAReplay() throws Exception {
        appendHistoryOf(user);
        String before = get(user, "?from=2025-02-28&to=2025-03-04").getBody();
        assertThat(json.readTree(before).get(2).get("used").asLong()).isEqualTo(2);
        StreamingEventProcessor analytics = processing
                .eventProcessor(ActivityCounter.PROCESSOR, StreamingEventProcessor.class).orElseThrow();

        analytics.shutDown();
        try {
            analytics.resetTokens();
            assertThat(table.daysOf(user, new DayRange(LocalDate.parse("2025-02-28"), LocalDate.parse("2025-03-04"))))
                    .as("emptied by the reset").isEmpty();
        } finally {
            analytics.start();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ResponseEntity<String> after = get(user, "?from=2025-02-28&to=2025-03-04");
            assertThat(after.getStatusCode().value()).isEqualTo(200);
            assertThat(json.readTree(after.getBody())).isEqualTo(json.readTree(before));
        });
    }

    /**
     * Around midnight UTC of 2025-03-01: two keys of the owner, a rotation, usage in the usage
     * stream, and another user's key whose activity must not count.
     */
    private void appendHistoryOf(String owner) {
        UUID key = UUID.randomUUID();
        UUID rotatedTo = UUID.randomUUID();
        UUID someoneElses = UUID.randomUUID();
        Instant lastMomentOfMarch1 = Instant.parse("2025-03-01T23:59:59.999Z");
        Instant march2 = Instant.parse("2025-03-02T00:00:00Z");
        appendElsewhere(
                event(key, 0, created(key, owner, Instant.parse("2025-03-01T08:00:00Z"))),
                event(someoneElses, 0, created(someoneElses, "someone-else-" + owner, lastMomentOfMarch1)));
        appendElsewhere(event(key, 1, new ApiKeyDisabled(key, owner, lastMomentOfMarch1)));
        appendElsewhere(
                event(key, 2, new ApiKeyEnabled(key, owner, march2)),
                event(key, 3, new ApiKeyRotated(key, owner, rotatedTo, march2.plusSeconds(3600), march2)),
                event(rotatedTo, 0, new ApiKeyCreated(rotatedTo, owner, null, "ci", "sk_abcde", "hash", List.of(),
                        null, march2, key)),
                usage(someoneElses, 0, "someone-else-" + owner, march2));
        appendElsewhere(usage(key, 0, owner, march2.plusSeconds(60)), usage(key, 1, owner, march2.plusSeconds(120)));
        appendElsewhere(
                event(rotatedTo, 1, new ApiKeyDeleted(rotatedTo, owner, march2.plusSeconds(7200))),
                usage(key, 2, owner, Instant.parse("2025-03-04T12:00:00Z")));
    }

    private String row(JsonNode day) {
        StringBuilder row = new StringBuilder(day.get("date").asText());
        for (int i = 1; i < FIELDS.length; i++) {
            row.append(' ').append(day.get(FIELDS[i]).asLong());
        }
        return row.toString();
    }

    private void assertProblem(ResponseEntity<String> response, String field) throws Exception {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        JsonNode problem = json.readTree(response.getBody());
        assertThat(problem.get("type").asText()).isEqualTo("/problems/invalid-request");
        assertThat(problem.get("errors")).extracting(error -> error.get("field").asText()).containsExactly(field);
    }

    private ResponseEntity<String> get(String userId, String query) {
        return http.get().uri(ANALYTICS + query)
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

    private static DomainEventMessage<?> usage(UUID keyId, long sequence, String owner, Instant at) {
        return EventsElsewhere.ofUsage(keyId, sequence, new ApiKeyUsed(keyId, owner, at), owner);
    }

    private static ApiKeyCreated created(UUID keyId, String owner, Instant at) {
        return new ApiKeyCreated(keyId, owner, null, "ci", "sk_abcde", "hash-of-" + keyId, List.of(), null, at, null);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
