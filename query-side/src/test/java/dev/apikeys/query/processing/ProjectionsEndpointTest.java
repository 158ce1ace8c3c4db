package dev.apikeys.query.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.query.QuerySideApplication;
import dev.apikeys.query.SharedPostgres;
import dev.apikeys.query.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

/**
 * {@code /actuator/projections} on a real PostgreSQL. Besides the query side's own processors, a
 * probe processor of this test's own is replayed: it holds its replay at the first event until the
 * test lets it go, so the endpoint can be seen mid-replay.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apikeys.security.hmac-secret=" + TestTokens.SECRET,
        // Nothing listens there; the audit publisher is not under test.
        "apikeys.audit.bootstrap-servers=127.0.0.1:9",
        // Two segments, so two instances can each hold one; claimed again within a second.
        "axon.eventhandling.processors." + ProjectionsEndpointTest.PROBE + ".mode=pooled",
        "axon.eventhandling.processors." + ProjectionsEndpointTest.PROBE + ".initial-segment-count=2",
        "axon.eventhandling.processors." + ProjectionsEndpointTest.PROBE + ".token-claim-interval=1000",
        // The store holds every other test class's events too; one per transaction would crawl.
        "axon.eventhandling.processors." + ProjectionsEndpointTest.PROBE + ".batch-size=500",
})
class ProjectionsEndpointTest {

    static final String PROBE = "apikey-test-replay-probe";
    private static final String ADMIN = TestTokens.bearer("operator", "apikeys:admin");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SharedPostgres.register(registry);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class ProbeConfiguration {

        @Bean
        ReplayProbe replayProbe() {
            return new ReplayProbe();
        }
    }

    /** Counts resets and holds every replayed event until released. */
    @ProcessingGroup(PROBE)
    static class ReplayProbe {

        volatile CountDownLatch release = new CountDownLatch(0);
        final AtomicInteger resets = new AtomicInteger();
        final AtomicInteger replayed = new AtomicInteger();

        @EventHandler
        void on(Object event, ReplayStatus status) throws InterruptedException {
            if (status.isReplay()) {
                release.await(30, TimeUnit.SECONDS);
                replayed.incrementAndGet();
            }
        }

        @ResetHandler
        void onReset() {
            resets.incrementAndGet();
        }
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
    EventProcessingConfiguration processing;

    @Autowired
    ReplayProbe probe;

    @Autowired
    ProcessingNode node;

    @Autowired
    Environment environment;

    private final ObjectMapper json = new ObjectMapper();
    private RestClient http;

    @BeforeEach
    void setUp() {
        http = RestClient.builder().baseUrl("http://localhost:" + port).build();
        appendTwoEvents();
    }

    @AfterEach
    void releaseTheProbe() {
        probe.release.countDown();
    }

    @Test
    void listsEveryStreamingProcessorWithItsPositionAgainstTheStoresHead() throws Exception {
        long head = storeHead();

        JsonNode probeStatus = await().atMost(Duration.ofSeconds(30)).until(() -> status(PROBE),
                status -> status.get("position").asLong() >= head);

        JsonNode all = projections();
        assertThat(all.isArray()).isTrue();
        assertThat(all).extracting(node -> node.get("name").asText())
                .contains("apikey-read-model", "apikey-audit-publisher", PROBE);
        for (JsonNode processor : all) {
            assertThat(fieldNames(processor)).containsExactlyInAnyOrder(
                    "name", "status", "position", "head", "lag_events", "replaying", "segments");
        }
        assertThat(probeStatus.get("status").asText()).isEqualTo("running");
        assertThat(probeStatus.get("replaying").asBoolean()).isFalse();
        assertThat(probeStatus.get("head").asLong()).isGreaterThanOrEqualTo(head);
        assertThat(probeStatus.get("lag_events").asLong()).isEqualTo(eventsAfter(probeStatus.get("position").asLong()));
        assertThat(probeStatus.get("segments")).hasSize(2).allSatisfy(segment -> {
            assertThat(fieldNames(segment)).containsExactlyInAnyOrder("segment", "owner", "position");
            assertThat(segment.get("owner").asText()).isEqualTo(node.id());
            assertThat(segment.get("position").asLong()).isGreaterThanOrEqualTo(probeStatus.get("position").asLong());
        });
        assertThat(probeStatus.get("segments")).extracting(segment -> segment.get("segment").asInt())
                .containsExactly(0, 1);
    }

    /**
     * An append that rolled back took a global index no event will ever have: the processor passes
     * it as a gap, and that gap must not hold its position back for good.
     */
    @Test
    void anAppendThatRolledBackHoldsNoProcessorBehind() throws Exception {
        try {
            transaction.executeWithoutResult(status -> {
                appendTwoEvents();
                throw new IllegalStateException("rolled back after its global indexes were taken");
            });
        } catch (IllegalStateException expected) {
            // The gap this test wants.
        }
        appendTwoEvents();
        long head = storeHead();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode probeStatus = status(PROBE);
            assertThat(probeStatus.get("position").asLong()).isEqualTo(head);
            assertThat(probeStatus.get("lag_events").asLong()).isZero();
            assertThat(probeStatus.get("segments")).allSatisfy(segment ->
                    assertThat(segment.get("position").asLong()).isEqualTo(head));
        });
    }

    @Test
    void aStoppedProcessorShowsStoppedAndFallsBehind() throws Exception {
        StreamingEventProcessor processor = probeProcessor();
        await().atMost(Duration.ofSeconds(30)).until(() -> status(PROBE).get("lag_events").asLong() == 0);
        long position = status(PROBE).get("position").asLong();
        processor.shutDown();
        try {
            appendTwoEvents();

            JsonNode stopped = status(PROBE);

            assertThat(stopped.get("status").asText()).isEqualTo("stopped");
            assertThat(stopped.get("position").asLong()).isEqualTo(position);
            assertThat(stopped.get("head").asLong()).isGreaterThan(position);
            // At least the two appended here; other test classes' processes share the store.
            assertThat(stopped.get("lag_events").asLong()).isGreaterThanOrEqualTo(2);
        } finally {
            processor.start();
        }
    }

    @Test
    void replayResetsTheProcessorAndShowsItReplayingUntilItCaughtUp() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> status(PROBE).get("lag_events").asLong() == 0);
        probe.release = new CountDownLatch(1);
        int resetsBefore = probe.resets.get();

        ResponseEntity<String> response = post("/actuator/projections/" + PROBE + "/replay", ADMIN);

        assertThat(response.getStatusCode().value()).isEqualTo(202);
        assertThat(json.readTree(response.getBody()).get("name").asText()).isEqualTo(PROBE);
        assertThat(probe.resets.get()).isEqualTo(resetsBefore + 1);
        JsonNode replaying = status(PROBE);
        assertThat(replaying.get("replaying").asBoolean()).isTrue();
        assertThat(replaying.get("status").asText()).isEqualTo("running");
        assertThat(replaying.get("position").asLong()).isEqualTo(-1);
        assertThat(replaying.get("lag_events").asLong()).isEqualTo(eventsAfter(-1));

        probe.release.countDown();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode done = status(PROBE);
            assertThat(done.get("replaying").asBoolean()).isFalse();
            assertThat(done.get("lag_events").asLong()).isZero();
        });
    }

    /**
     * Another instance (a second context on the same database, claiming under a node id of its own)
     * holds one of the probe's two segments, as the instances share them. The replay takes that
     * claim over through the token table and resets every segment once, here; then both instances
     * replay their share again, and between them every stored event.
     */
    @Test
    void aReplayTakesOverTheSegmentsAnotherInstanceHoldsAndEverythingIsReplayed() throws Exception {
        String here = node.id();
        try (ConfigurableApplicationContext other = new SpringApplicationBuilder(QuerySideApplication.class,
                ProbeConfiguration.class).run(otherInstanceArguments())) {
            String there = other.getBean(ProcessingNode.class).id();
            assertThat(there).isNotEqualTo(here);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(owners().values())
                    .as("one segment each").containsExactlyInAnyOrder(here, there));
            ReplayProbe otherProbe = other.getBean(ReplayProbe.class);
            appendTwoEvents();
            await().atMost(Duration.ofSeconds(30)).until(() -> status(PROBE).get("lag_events").asLong() == 0);
            int resetsBefore = probe.resets.get();
            int replayedBefore = probe.replayed.get() + otherProbe.replayed.get();
            long stored = eventsAfter(-1);

            ResponseEntity<String> response = post("/actuator/projections/" + PROBE + "/replay", ADMIN);

            assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
            assertThat(probe.resets.get()).isEqualTo(resetsBefore + 1);
            assertThat(otherProbe.resets.get()).as("the reset ran once, here").isZero();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode done = status(PROBE);
                assertThat(done.get("replaying").asBoolean()).isFalse();
                assertThat(done.get("lag_events").asLong()).isZero();
            });
            assertThat(probe.replayed.get() + otherProbe.replayed.get() - replayedBefore)
                    .as("every stored event replayed").isGreaterThanOrEqualTo((int) stored);
        }
    }

    @Test
    void anUnknownProcessorOrOperationIsA404Problem() throws Exception {
        assertProblem(post("/actuator/projections/apikey-no-such-processor/replay", ADMIN), 404);
        assertProblem(post("/actuator/projections/" + PROBE + "/rewind", ADMIN), 404);
    }

    @Test
    void onlyAdminsMayReadOrReplay() {
        String user = TestTokens.bearer("someone");

        assertThat(get("/actuator/projections", null).getStatusCode().value()).isEqualTo(401);
        assertThat(get("/actuator/projections", user).getStatusCode().value()).isEqualTo(403);
        assertThat(post("/actuator/projections/" + PROBE + "/replay", user).getStatusCode().value()).isEqualTo(403);
    }

    private JsonNode projections() throws Exception {
        ResponseEntity<String> response = get("/actuator/projections", ADMIN);
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        return json.readTree(response.getBody());
    }

    private JsonNode status(String name) throws Exception {
        for (JsonNode processor : projections()) {
            if (processor.get("name").asText().equals(name)) {
                return processor;
            }
        }
        throw new AssertionError("no processor " + name + " in " + projections());
    }

    /** This test's settings for a second instance: same database, no web server of its own needed. */
    private String[] otherInstanceArguments() {
        return new String[] {
                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--apikeys.security.hmac-secret=" + TestTokens.SECRET,
                "--apikeys.audit.bootstrap-servers=127.0.0.1:9", "--server.port=0",
                "--axon.eventhandling.processors." + PROBE + ".mode=pooled",
                "--axon.eventhandling.processors." + PROBE + ".initial-segment-count=2",
                "--axon.eventhandling.processors." + PROBE + ".token-claim-interval=1000",
                "--axon.eventhandling.processors." + PROBE + ".batch-size=500"};
    }

    /** The probe's segments and who claims each, from the token table. */
    private Map<Integer, String> owners() {
        Map<Integer, String> owners = new TreeMap<>();
        jdbc.query("select segment, owner from read_model.token_entry where processor_name = ? and owner is not null",
                (RowCallbackHandler) row -> owners.put(row.getInt("segment"),
                        row.getString("owner")), PROBE);
        return owners;
    }

    private StreamingEventProcessor probeProcessor() {
        return processing.eventProcessor(PROBE, StreamingEventProcessor.class).orElseThrow();
    }

    private void assertProblem(ResponseEntity<String> response, int status) throws Exception {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        JsonNode problem = json.readTree(response.getBody());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).startsWith("/problems/");
    }

    private long storeHead() {
        return jdbc.queryForObject("select max(global_index) from event_store.domain_event_entry", Long.class);
    }

    private long eventsAfter(long position) {
        return jdbc.queryForObject("select count(*) from event_store.domain_event_entry where global_index > ?",
                Long.class, position);
    }

    /** Appends a key's creation and disabling, as the command side would. */
    private void appendTwoEvents() {
        UUID keyId = UUID.randomUUID();
        String user = "user-" + keyId;
        Instant now = Instant.now();
        transaction.executeWithoutResult(status -> storageEngine.appendEvents(List.of(
                new GenericDomainEventMessage<>("ApiKey", keyId.toString(), 0, new ApiKeyCreated(keyId, user, null,
                        "probe", "sk_abcde", "hash-of-" + keyId, List.of(), null, now, null)),
                new GenericDomainEventMessage<>("ApiKey", keyId.toString(), 1, new ApiKeyDisabled(keyId, user, now)))));
    }

    private ResponseEntity<String> get(String path, String authorization) {
        return http.get().uri(path)
                .headers(headers -> authorize(headers, authorization))
                .exchange((request, response) -> ResponseEntity.status(response.getStatusCode())
                        .headers(response.getHeaders()).body(new String(response.getBody().readAllBytes())));
    }

    private ResponseEntity<String> post(String path, String authorization) {
        return http.post().uri(path)
                .headers(headers -> authorize(headers, authorization))
                .exchange((request, response) -> ResponseEntity.status(response.getStatusCode())
                        .headers(response.getHeaders()).body(new String(response.getBody().readAllBytes())));
    }

    private static void authorize(HttpHeaders headers, String authorization) {
        if (authorization != null) {
            headers.set(HttpHeaders.AUTHORIZATION, authorization);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
