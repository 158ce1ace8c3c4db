package dev.apikeys.standalone;

import static dev.apikeys.standalone.Api.KEYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikeys.standalone.embedded.EmbeddedKafkaBroker;
import dev.apikeys.standalone.embedded.LocalPorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The service scaled out on this machine: two command-side and two query-side processes (the real
 * jars) on one PostgreSQL and one Kafka broker whose audit topic has several partitions, behind a
 * gateway that routes as deploy/gateway.conf does, round robin over the instances. The whole
 * end-to-end suite of the keys' API runs through the gateway, then the query side's
 * segment sharing and its takeover when an instance is killed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutTest extends KeyLifecycleSuite {

    private static final Duration STARTUP = Duration.ofMinutes(3);
    /**
     * How soon a killed instance's segments are taken over: its claims time out in the token store
     * after 5 s, and the others claim them at their next heartbeat; twice that, for a busy machine.
     */
    private static final Duration TAKEOVER = Duration.ofSeconds(10);
    private static final List<String> SHARED_PROCESSORS = List.of("apikey-read-model", "apikey-audit-publisher");

    private static EmbeddedPostgres postgres;
    private static EmbeddedKafkaBroker kafka;
    private static final List<ServiceProcess> commandSide = new ArrayList<>();
    private static final List<ServiceProcess> querySide = new ArrayList<>();
    private static Gateway gateway;

    @BeforeAll
    static void deploy() throws Exception {
        postgres = EmbeddedPostgres.builder().setPort(LocalPorts.free()).start();
        kafka = new EmbeddedKafkaBroker(Files.createTempDirectory("apikeys-scale-out-kafka"),
                StandaloneTestProperties.freePort());
        kafka.start();
        Map<String, String> shared = Map.of(
                "spring.datasource.url", postgres.getJdbcUrl("postgres", "postgres"),
                "spring.datasource.username", "postgres",
                "apikeys.security.hmac-secret", Tokens.SECRET,
                "apikeys.max-keys-per-user", Integer.toString(MAX_KEYS),
                "apikeys.audit.bootstrap-servers", kafka.bootstrapServers());
        // The command side migrates the event store the query side reads, so it starts first.
        startBoth("command-side", commandSide, shared);
        startBoth("query-side", querySide, shared);
        gateway = new Gateway(commandSide.stream().map(ServiceProcess::uri).toList(),
                querySide.stream().map(ServiceProcess::uri).toList());
    }

    private static void startBoth(String module, List<ServiceProcess> instances, Map<String, String> properties) {
        for (String instance : List.of("a", "b")) {
            instances.add(ServiceProcess.start(module, module + "-" + instance, properties));
        }
        CompletableFuture.allOf(instances.stream()
                .map(process -> CompletableFuture.runAsync(() -> process.awaitHealthy(STARTUP)))
                .toArray(CompletableFuture[]::new)).join();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (ServiceProcess process : querySide) {
            process.close();
        }
        for (ServiceProcess process : commandSide) {
            process.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    Api api() {
        return new Api(gateway.port());
    }

    @Override
    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Test
    void aWriteOnEitherCommandSideIsInTheNextReadAndVerifyOfEitherQuerySide() {
        RevocationRounds.run(api(), api(), Tokens.forUser("scale-out-" + UUID.randomUUID()), 25, "scale-out");
    }

    @Test
    void theQuerySideInstancesSplitEachProcessorsSegments() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String processor : SHARED_PROCESSORS) {
                assertThat(owners(processor).values()).as(processor).containsExactly(2L, 2L);
            }
        });
    }

    /**
     * A rate limit holds across the query-side instances: verifications of one key, concurrent and
     * spread over both, are VALID at most the limit times in a window, and all but what the
     * instances hold unused (a block each, at most an eighth of the limit) are.
     */
    @Test
    void concurrentVerificationsOverBothQuerySidesNeverExceedTheRateLimit() throws Exception {
        String token = Tokens.forUser("limited-" + UUID.randomUUID());
        String key = api().create(token, "{\"rate_limit\": {\"limit\": 64, \"duration_seconds\": 86400}}")
                .get("key").asText();

        Map<String, Integer> validByWindow = verifyConcurrently(key, querySide, 200);

        assertThat(validByWindow.values()).allSatisfy(valid -> assertThat(valid).isLessThanOrEqualTo(64));
        assertThat(validByWindow.values().stream().mapToInt(Integer::intValue).sum())
                .isGreaterThanOrEqualTo(64 - 2 * (64 / 8));
    }

    /** Credits hold the same way: consumed over both instances at once, never past the grant. */
    @Test
    void concurrentVerificationsOverBothQuerySidesNeverConsumeMoreCreditsThanGiven() throws Exception {
        String token = Tokens.forUser("credited-" + UUID.randomUUID());
        String key = api().create(token, "{\"credits\": {\"remaining\": 64}}").get("key").asText();

        Map<String, Integer> valid = verifyConcurrently(key, querySide, 200);

        int consumed = valid.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(consumed).isLessThanOrEqualTo(64).isGreaterThanOrEqualTo(64 - 2 * (64 / 8));
    }

    /**
     * Verifies the key {@code times} times from 8 threads, round robin over the instances: VALID
     * answers by rate-limit window (all under "credits" for a key without a rate limit).
     */
    private static Map<String, Integer> verifyConcurrently(String key, List<ServiceProcess> instances, int times)
            throws Exception {
        Map<String, Integer> validByWindow = new ConcurrentHashMap<>();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                Api instance = new Api(instances.get(i % instances.size()).port());
                calls.add(callers.submit(() -> {
                    Api.Response response = instance.post(Api.VERIFY, Tokens.verifier(), "{\"key\": \"" + key + "\"}");
                    assertThat(response.status()).as(response.body()).isEqualTo(200);
                    JsonNode answer = response.json();
                    assertThat(answer.get("code").asText()).isIn("VALID", "RATE_LIMITED", "USAGE_EXCEEDED");
                    if (answer.get("valid").asBoolean()) {
                        JsonNode window = answer.get("ratelimit");
                        validByWindow.merge(window == null ? "credits" : window.get("reset_at").asText(), 1,
                                Integer::sum);
                    }
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            callers.shutdownNow();
        }
        return validByWindow;
    }

    /**
     * kill -9 of a query-side instance: the other claims its segments within the claim timeout,
     * keeps the read model and verification current through the gateway, and publishes every event.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void whenAQuerySideInstanceIsKilledTheOtherTakesItsSegmentsOverAndNothingIsLost() throws Exception {
        String user = "takeover-" + UUID.randomUUID();
        String token = Tokens.forUser(user);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < MAX_KEYS - 1; i++) {
            keys.add(api().create(token, "{}").get("id").asText());
        }
        api().put(KEYS + "/" + keys.get(0), token);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(owners("apikey-read-model"))
                .hasSize(2));
        ServiceProcess survivor = querySide.get(0);
        ServiceProcess killed = querySide.get(1);
        String limited = api().create(Tokens.forUser("limited-" + UUID.randomUUID()),
                "{\"rate_limit\": {\"limit\": 40, \"duration_seconds\": 86400}}").get("key").asText();
        String credited = api().create(Tokens.forUser("credited-" + UUID.randomUUID()),
                "{\"credits\": {\"remaining\": 40}}").get("key").asText();
        // Blocks of 1, 2, 4 and 5 (an eighth of the limit, of the grant): 10 answers leave it
        // holding 2 unused of each.
        Map<String, Integer> validBeforeTheKill = verifyConcurrently(limited, List.of(killed), 10);
        Map<String, Integer> consumedBeforeTheKill = verifyConcurrently(credited, List.of(killed), 10);

        long killedAt = System.nanoTime();
        killed.kill();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (String processor : SHARED_PROCESSORS) {
                assertThat(owners(new Api(survivor.port()), processor)).as(processor).hasSize(1)
                        .containsValue(4L);
            }
        });
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("Segments of the killed query-side instance taken over after %d ms%n", takeover.toMillis());
        assertThat(takeover).isLessThanOrEqualTo(TAKEOVER);

        Map<String, Integer> validAfterTheKill = verifyConcurrently(limited, List.of(survivor), 60);
        assertThat(validBeforeTheKill.values()).containsExactly(10);
        // Never more than the limit; at most the 2 the killed instance held unused are lost (none,
        // if it gave them back as idle before it was killed).
        assertThat(validAfterTheKill.values()).singleElement().satisfies(after -> assertThat(after)
                .isBetween(40 - 10 - 2, 40 - 10));
        Map<String, Integer> consumedAfterTheKill = verifyConcurrently(credited, List.of(survivor), 60);
        assertThat(consumedBeforeTheKill.values()).containsExactly(10);
        assertThat(consumedAfterTheKill.values()).as("never more than the credits given, at most 2 forfeited")
                .singleElement().satisfies(after -> assertThat(after).isBetween(40 - 10 - 2, 40 - 10));

        keys.add(api().create(token, "{}").get("id").asText());
        api().put(KEYS + "/" + keys.get(1), token);
        JsonNode listed = api().get(KEYS, token).json();
        assertThat(listed).extracting(key -> key.get("id").asText()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(listed).filteredOn(key -> key.get("disabled").asBoolean())
                .extracting(key -> key.get("id").asText()).containsExactlyInAnyOrder(keys.get(0), keys.get(1));
        try (AuditTopic topic = new AuditTopic(bootstrapServers())) {
            for (String key : keys) {
                int events = key.equals(keys.get(0)) || key.equals(keys.get(1)) ? 2 : 1;
                assertThat(topic.awaitRecordsOfKey(key, events, Duration.ofSeconds(60)))
                        .extracting(record -> record.value().get("sequence").asLong())
                        .as("every event of %s published, in order", key)
                        .containsExactlyElementsOf(events == 2 ? List.of(0L, 1L) : List.of(0L));
            }
        }
    }

    private Map<String, Long> owners(String processor) {
        return owners(api(), processor);
    }

    /** How many of the processor's segments each instance claims, from /actuator/projections. */
    private static Map<String, Long> owners(Api api, String processor) {
        Api.Response response = api.get("/actuator/projections", Tokens.forService("operator", "apikeys:admin"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode status : response.json()) {
            if (status.get("name").asText().equals(processor)) {
                Map<String, Long> owners = new HashMap<>();
                Set<Integer> segments = new HashSet<>();
                status.get("segments").forEach(segment -> {
                    segments.add(segment.get("segment").asInt());
                    if (!segment.get("owner").isNull()) {
                        owners.merge(segment.get("owner").asText(), 1L, Long::sum);
                    }
                });
                assertThat(segments).hasSize(4);
                return owners;
            }
        }
        throw new AssertionError("no " + processor + " in " + response.body());
    }
}
