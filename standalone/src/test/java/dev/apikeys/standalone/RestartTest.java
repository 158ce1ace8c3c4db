package dev.apikeys.standalone;

import static dev.apikeys.standalone.Api.KEYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The process stops while writes stream in and starts again on the same data: every write that was
 * answered is in the read model exactly once and on Kafka, nothing applied twice.
 */
class RestartTest {

    private static final String USER = "restart-user";

    @Test
    void aStopMidStreamLosesNothingAndAppliesNothingTwice() throws Exception {
        Path dataDir = StandaloneTestProperties.newDataDir();
        int kafkaPort = StandaloneTestProperties.freePort();
        Map<String, String> properties = StandaloneTestProperties.forDataDir(dataDir, kafkaPort, 1000);
        String token = Tokens.forUser(USER);
        Set<String> answeredCreates = ConcurrentHashMap.newKeySet();
        // Each key is toggled once; an unanswered toggle may or may not have landed, so only answered ones count.
        Map<String, Boolean> answeredDisabled = new ConcurrentHashMap<>();
        // A stop may refuse a write (503, nothing stored); any other answer would be a lie about what was stored.
        Queue<String> otherAnswers = new ConcurrentLinkedQueue<>();

        ConfigurableApplicationContext first = StandaloneTestProperties.start(StandaloneApplication.class, properties);
        Api api = new Api(StandaloneTestProperties.port(first));
        CountDownLatch someWritesAnswered = new CountDownLatch(20);
        AtomicBoolean stopped = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            while (!stopped.get()) {
                try {
                    Api.Response created = api.post(KEYS, token, "{}");
                    if (created.status() != 201) {
                        if (created.status() != 503) {
                            otherAnswers.add("create: " + created.status() + " " + created.body());
                        }
                        continue;
                    }
                    String id = created.json().get("id").asText();
                    answeredCreates.add(id);
                    someWritesAnswered.countDown();
                    Api.Response toggled = api.put(KEYS + "/" + id, token);
                    if (toggled.status() == 200) {
                        answeredDisabled.put(id, toggled.json().get("disabled").asBoolean());
                        someWritesAnswered.countDown();
                    } else if (toggled.status() != 503) {
                        otherAnswers.add("toggle: " + toggled.status() + " " + toggled.body());
                    }
                } catch (RuntimeException connectionGone) {
                    // The process is going away mid-request: that write was never answered.
                }
            }
        });
        writer.start();
        assertThat(someWritesAnswered.await(60, TimeUnit.SECONDS)).isTrue();
        first.close();
        stopped.set(true);
        writer.join(Duration.ofSeconds(60).toMillis());
        assertThat(writer.isAlive()).isFalse();
        assertThat(otherAnswers).as("writes answered neither as done nor as refused").isEmpty();

        ConfigurableApplicationContext second = StandaloneTestProperties.start(StandaloneApplication.class, properties);
        try {
            Api restarted = new Api(StandaloneTestProperties.port(second));
            // A cold restart may answer 503 until the read model has caught up with the store.
            Api.Response listing = await().atMost(Duration.ofSeconds(60))
                    .until(() -> restarted.get(KEYS, token), response -> response.status() == 200);
            List<JsonNode> listed = iterate(listing.json());
            JdbcTemplate store = second.getBean(JdbcTemplate.class);
            List<String> keysInStore = store.queryForList("select aggregate_identifier from event_store.domain_event_entry"
                    + " where payload_type = 'dev.apikeys.events.ApiKeyCreated'", String.class);

            assertThat(listed).extracting(k -> k.get("id").asText()).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(keysInStore)
                    .containsAll(answeredCreates);
            for (JsonNode key : listed) {
                String id = key.get("id").asText();
                int toggles = store.queryForObject("select count(*) from event_store.domain_event_entry"
                        + " where aggregate_identifier = ? and sequence_number > 0", Integer.class, id);
                assertThat(key.get("disabled").asBoolean()).as(id).isEqualTo(toggles % 2 == 1);
                if (answeredDisabled.containsKey(id)) {
                    assertThat(key.get("disabled").asBoolean()).as(id).isEqualTo(answeredDisabled.get(id));
                }
            }
            try (AuditTopic topic = new AuditTopic("127.0.0.1:" + kafkaPort)) {
                Map<String, Integer> eventsPerKey = new HashMap<>();
                store.query("select aggregate_identifier, count(*) from event_store.domain_event_entry group by aggregate_identifier",
                        row -> {
                            eventsPerKey.put(row.getString(1), row.getInt(2));
                        });
                for (Map.Entry<String, Integer> key : eventsPerKey.entrySet()) {
                    assertThat(topic.awaitRecordsOfKey(key.getKey(), key.getValue(), Duration.ofSeconds(60)))
                            .extracting(r -> r.value().get("sequence").asInt())
                            .containsExactlyElementsOf(java.util.stream.IntStream.range(0, key.getValue()).boxed().toList());
                }
            }
        } finally {
            second.close();
        }
    }



    private static List<JsonNode> iterate(JsonNode array) {
        List<JsonNode> nodes = new java.util.ArrayList<>();
        array.forEach(nodes::add);
        return nodes;
    }
}
