package dev.apikeys.standalone;

import static dev.apikeys.standalone.Api.KEYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikeys.standalone.embedded.EmbeddedPostgresServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * PostgreSQL out of reach: the standalone service reaches its database through a {@link TcpProxy}
 * the test cuts (every connection closed, every new one reset) and restores. While it is cut, every
 * write and read answers a 503 problem with Retry-After within 2 s; once it is back, the service
 * answers again without a restart, its processors catch up, and nothing that was answered is lost.
 */
class DatabaseOutageTest {

    /** The longest any request may take to answer while the database is unreachable. */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(2);
    private static final String USER = "outage-user";
    private static final String IN_FLIGHT_USER = "in-flight-user";
    private static final String ADMIN = Tokens.forService("operator", "apikeys:admin");
    private static final Logger log = LoggerFactory.getLogger(DatabaseOutageTest.class);

    private static EmbeddedPostgresServer postgres;
    private static TcpProxy proxy;
    private static ConfigurableApplicationContext service;
    private static Api api;
    private static int kafkaPort;
    /** Straight to PostgreSQL, past the proxy: what the store holds, whatever the service sees. */
    private static JdbcTemplate store;

    private record Answer(Api.Response response, Duration took) {
    }

    @BeforeAll
    static void startServiceBehindAProxy() {
        Path dataDir = StandaloneTestProperties.newDataDir();
        postgres = new EmbeddedPostgresServer(dataDir.resolve("postgres"), dataDir.resolve("postgres.log"));
        postgres.start();
        proxy = TcpProxy.to("localhost", URI.create(postgres.jdbcUrl().substring("jdbc:".length())).getPort());
        kafkaPort = StandaloneTestProperties.freePort();
        Map<String, String> properties = new LinkedHashMap<>(StandaloneTestProperties.forDataDir(dataDir, kafkaPort, 100));
        properties.put("spring.datasource.url",
                "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + EmbeddedPostgresServer.DATABASE);
        properties.put("spring.datasource.username", EmbeddedPostgresServer.USERNAME);
        properties.put("spring.datasource.password", postgres.password());
        service = StandaloneTestProperties.start(StandaloneApplication.class, properties);
        api = new Api(StandaloneTestProperties.port(service));
        store = new JdbcTemplate(new DriverManagerDataSource(postgres.jdbcUrl(), EmbeddedPostgresServer.USERNAME,
                postgres.password()));
    }

    @AfterAll
    static void stopEverything() {
        if (proxy != null) {
            proxy.restore();
        }
        if (service != null) {
            service.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (postgres != null) {
            postgres.stop();
        }
    }

    @Test
    void whilePostgresIsUnreachableEveryRequestAnswers503QuicklyAndTheServiceRecoversByItself() throws Exception {
        String token = Tokens.forUser(USER);
        String toggled = api.create(token, "{\"name\": \"toggled\"}").get("id").asText();
        String deleted = api.create(token, "{\"name\": \"deleted\"}").get("id").asText();
        JsonNode verified = api.create(token, "{\"name\": \"verified\"}");
        String verifiedKey = verified.get("key").asText();
        assertThat(api.verifyCode(Tokens.verifier(), verifiedKey)).isEqualTo("VALID");
        assertThat(api.get(KEYS, token).json()).hasSize(3);

        Map<String, Supplier<Api.Response>> requests = new LinkedHashMap<>();
        requests.put("POST", () -> api.post(KEYS, token, "{\"name\": \"during the outage\"}"));
        requests.put("PUT", () -> api.put(KEYS + "/" + toggled, token));
        requests.put("DELETE", () -> api.delete(KEYS + "/" + deleted, token));
        requests.put("GET", () -> api.get(KEYS, token));
        // Concurrent verifications share their reads of the store's head.
        for (int i = 1; i <= 3; i++) {
            requests.put("verify " + i, () -> api.verify(Tokens.verifier(), verifiedKey));
        }
        Map<String, List<Duration>> outageLatencies = new LinkedHashMap<>();
        InFlightCreates inFlight = new InFlightCreates(Tokens.forUser(IN_FLIGHT_USER));
        ExecutorService callers = Executors.newFixedThreadPool(requests.size());
        inFlight.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.created.size() >= 5);
            proxy.cut();
            for (int round = 0; round < 3; round++) {
                Map<String, Future<Answer>> pending = new LinkedHashMap<>();
                requests.forEach((kind, request) -> pending.put(kind, callers.submit(() -> timed(request))));
                for (Map.Entry<String, Future<Answer>> kind : pending.entrySet()) {
                    Answer answer = kind.getValue().get();
                    assertUnavailable(kind.getKey(), answer);
                    outageLatencies.computeIfAbsent(kind.getKey(), k -> new ArrayList<>()).add(answer.took());
                }
            }
        } finally {
            inFlight.stop();
            callers.shutdownNow();
        }
        log.info("While PostgreSQL was unreachable, answers took (ms): {}", inMillis(outageLatencies));

        proxy.restore();
        long restored = System.nanoTime();
        Api.Response created = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.post(KEYS, token, "{\"name\": \"after the outage\"}"), r -> r.status() == 201);
        Duration writesBack = since(restored);
        Api.Response listing = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get(KEYS, token), r -> r.status() == 200);
        Duration readsBack = since(restored);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.verify(Tokens.verifier(), verifiedKey).status() == 200);
        Duration verifyBack = since(restored);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.processorsCaughtUp(ADMIN));
        Duration processorsBack = since(restored);
        log.info("After PostgreSQL came back: writes answered after {} ms, reads after {} ms, verify after {} ms,"
                        + " every processor caught up after {} ms", writesBack.toMillis(), readsBack.toMillis(),
                verifyBack.toMillis(), processorsBack.toMillis());

        // Read-your-writes holds again, and the outage's refused writes applied nothing.
        assertThat(ids(listing.json())).containsExactlyInAnyOrder(created.json().get("id").asText(),
                verified.get("id").asText(), deleted, toggled);
        assertThat(api.put(KEYS + "/" + toggled, token).json().get("disabled").asBoolean()).isTrue();
        assertThat(api.delete(KEYS + "/" + deleted, token).status()).isEqualTo(204);
        assertThat(eventTypes(toggled)).containsExactly("ApiKeyCreated", "ApiKeyDisabled");
        assertThat(eventTypes(deleted)).containsExactly("ApiKeyCreated", "ApiKeyDeleted");
        assertThat(api.verifyCode(Tokens.verifier(), verifiedKey)).isEqualTo("VALID");

        // A create cut off in flight either answered or failed cleanly; what answered 201 was kept.
        assertThat(inFlight.failures).isEmpty();
        assertThat(ids(api.get(KEYS, Tokens.forUser(IN_FLIGHT_USER)).json()))
                .containsAll(inFlight.created)
                .containsExactlyInAnyOrderElementsOf(store.queryForList("select aggregate_identifier"
                        + " from event_store.domain_event_entry where payload_type = 'dev.apikeys.events.ApiKeyCreated'"
                        + " and convert_from(payload, 'UTF8')::jsonb ->> 'userId' = ?", String.class, IN_FLIGHT_USER));
        // And every event in the store reached the audit stream.
        Set<String> eventIds = new HashSet<>(store.queryForList(
                "select event_identifier from event_store.domain_event_entry", String.class));
        try (AuditTopic topic = new AuditTopic("127.0.0.1:" + kafkaPort)) {
            topic.awaitRecords(records -> records.stream().map(r -> r.header("ce_id")).toList().containsAll(eventIds),
                    Duration.ofSeconds(60));
        }
    }

    /** Creates keys one after another until stopped, noting what each answer was and how long it took. */
    private static final class InFlightCreates {

        final Set<String> created = ConcurrentHashMap.newKeySet();
        final List<String> failures = new CopyOnWriteArrayList<>();
        private final String token;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final Thread thread = new Thread(this::run, "in-flight-creates");

        InFlightCreates(String token) {
            this.token = token;
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            thread.join();
        }

        private void run() {
            while (!stopped.get()) {
                Answer answer;
                try {
                    answer = timed(() -> api.post(KEYS, token, "{}"));
                } catch (RuntimeException e) {
                    failures.add("no answer: " + e);
                    continue;
                }
                int status = answer.response().status();
                if (status == 201) {
                    created.add(answer.response().json().get("id").asText());
                } else if (status != 503) {
                    failures.add(status + ": " + answer.response().body());
                }
                if (answer.took().compareTo(ANSWER_BOUND) >= 0) {
                    failures.add("answered " + status + " after " + answer.took().toMillis() + " ms");
                }
            }
        }
    }

    private static void assertUnavailable(String kind, Answer answer) {
        Api.Response response = answer.response();
        assertThat(response.status()).as("%s answered %s", kind, response.body()).isEqualTo(503);
        KeyLifecycleSuite.assertProblem(response, 503);
        assertThat(response.header("Retry-After")).as(kind).isNotBlank();
        assertThat(answer.took()).as("%s answered after", kind).isLessThan(ANSWER_BOUND);
    }


    private static List<String> eventTypes(String keyId) {
        return store.queryForList("select substring(payload_type from '[^.]+$') from event_store.domain_event_entry"
                + " where aggregate_identifier = ? order by sequence_number", String.class, keyId);
    }

    private static List<String> ids(JsonNode keys) {
        List<String> ids = new ArrayList<>();
        keys.forEach(key -> ids.add(key.get("id").asText()));
        return ids;
    }

    private static Answer timed(Supplier<Api.Response> request) {
        long start = System.nanoTime();
        Api.Response response = request.get();
        return new Answer(response, since(start));
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static Map<String, List<Long>> inMillis(Map<String, List<Duration>> latencies) {
        Map<String, List<Long>> millis = new LinkedHashMap<>();
        latencies.forEach((kind, durations) -> millis.put(kind, durations.stream().map(Duration::toMillis).toList()));
        return millis;
    }
}
