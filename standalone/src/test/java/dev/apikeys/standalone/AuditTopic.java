package dev.apikeys.standalone;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the audit topic from the beginning, as a new audit consumer would. */
final class AuditTopic implements AutoCloseable {

    static final String TOPIC = "apikeys.audit.v1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = loadSchema();

    /** One audit record as a consumer sees it. */
    record AuditRecord(String key, int partition, Map<String, String> headers, byte[] rawValue, JsonNode value) {

        String header(String name) {
            return headers.get(name);
        }

        String type() {
            return headers.get("ce_type");
        }

        Set<ValidationMessage> schemaViolations() {
            return SCHEMA.validate(value);
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<AuditRecord> seen = new ArrayList<>();

    AuditTopic(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(config);
        consumer.subscribe(List.of(TOPIC));
    }

    /** Polls until the records read so far satisfy the condition, then answers all of them. */
    List<AuditRecord> awaitRecords(Predicate<List<AuditRecord>> condition, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                seen.add(toAuditRecord(record));
            }
            return condition.test(List.copyOf(seen));
        });
        return List.copyOf(seen);
    }

    /**
     * One key's records in the order they arrived, each {@code ce_id} once: delivery is at least
     * once, so a consumer dedupes on it.
     */
    List<AuditRecord> awaitRecordsOfKey(String keyId, int count, Duration atMost) {
        return distinctOfKey(awaitRecords(all -> distinctOfKey(all, keyId).size() >= count, atMost), keyId);
    }

    /** One key's records, each {@code ce_id} once, polled until they satisfy the condition. */
    List<AuditRecord> awaitRecordsOfKey(String keyId, Predicate<List<AuditRecord>> condition, Duration atMost) {
        return distinctOfKey(awaitRecords(all -> condition.test(distinctOfKey(all, keyId)), atMost), keyId);
    }

    private static List<AuditRecord> distinctOfKey(List<AuditRecord> records, String keyId) {
        Set<String> ids = new java.util.HashSet<>();
        return records.stream().filter(r -> keyId.equals(r.key())).filter(r -> ids.add(r.header("ce_id"))).toList();
    }

    private static AuditRecord toAuditRecord(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new java.util.HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        try {
            return new AuditRecord(record.key(), record.partition(), headers, record.value(),
                    JSON.readTree(record.value()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = AuditTopic.class.getResourceAsStream("/schemas/apikey-audit-record.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("the audit record schema is not on the classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
