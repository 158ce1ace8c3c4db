package dev.apikeys.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.axonframework.eventhandling.EventMessage;

/**
 * Writes an audit event as a Kafka record in CloudEvents binary mode: attributes as {@code ce_}
 * headers, the JSON value as the body, the key id as the record key (one key, one partition).
 */
class AuditRecordEncoder {

    /** Its own mapper: the record's shape must not change with the web's Jackson settings. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private final String topic;
    private final String source;

    AuditRecordEncoder(String topic, String source) {
        this.topic = topic;
        this.source = source;
    }

    /**
     * @param message the event: its identifier is the record's {@code ce_id}, stable across
     *        re-publication so consumers can dedupe, and its timestamp (when it was appended) {@code ce_time}
     */
    ProducerRecord<String, byte[]> encode(EventMessage<?> message, String type, AuditRecord value) {
        String keyId = value.keyId().toString();
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", message.getIdentifier());
        header(headers, "ce_source", source);
        header(headers, "ce_type", type);
        header(headers, "ce_subject", keyId);
        header(headers, "ce_time", message.getTimestamp().toString());
        header(headers, "content-type", "application/json");
        return new ProducerRecord<>(topic, null, keyId, json(value), headers);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] json(AuditRecord value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Audit record of key " + value.keyId() + " cannot be written", e);
        }
    }
}
