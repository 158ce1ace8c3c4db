package dev.apikeys.standalone;

import static dev.apikeys.standalone.Api.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.standalone.embedded.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Kafka going away never fails or blocks a write or a read; the audit stream catches up, in order, when it returns. */
@OwnStandaloneProcess
class KafkaOutageTest {

    private static final Map<String, String> PROPERTIES = StandaloneTestProperties.fresh(100);
    /** The audit producer's max.block.ms: a write that waited on Kafka would take at least this long. */
    private static final Duration KAFKA_WAIT = Duration.ofSeconds(3);

    @DynamicPropertySource
    static void standalone(DynamicPropertyRegistry registry) {
        StandaloneTestProperties.register(registry, PROPERTIES);
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void writesAndReadsGoOnWhileKafkaIsDownAndTheAuditStreamCatchesUpInOrder() {
        Api api = new Api(port);
        String token = Tokens.forUser("outage-user");
        String before = api.create(token, "{\"name\": \"before the outage\"}").get("id").asText();

        broker.stop();
        List<String> ids = new ArrayList<>(List.of(before));
        for (int i = 0; i < 5; i++) {
            String name = "during " + i;
            Api.Response created = unblocked(() -> api.post(KEYS, token, "{\"name\": \"" + name + "\"}"));
            assertThat(created.status()).isEqualTo(201);
            String id = created.json().get("id").asText();
            ids.add(id);
            assertThat(unblocked(() -> api.put(KEYS + "/" + id, token)).status()).isEqualTo(200);
            assertThat(unblocked(() -> api.put(KEYS + "/" + id, token)).status()).isEqualTo(200);
            assertThat(unblocked(() -> api.put(KEYS + "/" + before, token)).status()).isEqualTo(200);
            assertThat(api.get(KEYS, token).json()).hasSize(ids.size());
        }
        assertThat(api.delete(KEYS + "/" + ids.get(1), token).status()).isEqualTo(204);

        broker.start();
        try (AuditTopic topic = new AuditTopic(broker.bootstrapServers())) {
            assertThat(topic.awaitRecordsOfKey(before, 6, Duration.ofSeconds(60)))
                    .extracting(r -> r.value().get("sequence").asLong())
                    .containsExactlyElementsOf(LongStream.range(0, 6).boxed().toList());
            assertThat(topic.awaitRecordsOfKey(ids.get(1), 4, Duration.ofSeconds(60)))
                    .extracting(AuditTopic.AuditRecord::type)
                    .containsExactly("apikey.created", "apikey.disabled", "apikey.enabled", "apikey.deleted");
            for (String id : ids.subList(2, ids.size())) {
                assertThat(topic.awaitRecordsOfKey(id, 3, Duration.ofSeconds(60)))
                        .extracting(r -> r.value().get("sequence").asLong())
                        .containsExactly(0L, 1L, 2L);
            }
        }
    }

    private static Api.Response unblocked(Supplier<Api.Response> write) {
        long start = System.nanoTime();
        Api.Response response = write.get();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a write while Kafka is down").isLessThan(KAFKA_WAIT);
        return response;
    }
}
