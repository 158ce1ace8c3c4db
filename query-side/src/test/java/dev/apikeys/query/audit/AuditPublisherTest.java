package dev.apikeys.query.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyEvent;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.events.EventMetadata;
import dev.apikeys.events.KeyPosition;
import dev.apikeys.events.KeySettings;
import dev.apikeys.events.KeyState;
import dev.apikeys.query.ReadModelTable;
import dev.apikeys.query.audit.AuditPublisher.AuditedKey;
import dev.apikeys.query.processing.BatchProjection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditPublisherTest {

    private static final UUID KEY = UUID.randomUUID();
    private static final String HASH = "deadbeef".repeat(8);
    private static final Instant CREATED_AT = Instant.parse("2025-01-01T10:00:00Z");
    private static final Instant EXPIRES_AT = Instant.parse("2026-01-01T10:00:00.123Z");
    private static final String[] REQUIRED_FIELDS = {"key_id", "user_id", "organization_id", "name", "key_prefix",
            "scopes", "expires_at", "disabled", "deleted", "occurred_at", "actor_id", "sequence", "metadata",
            "allowed_cidrs", "rate_limit", "credits"};
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(AuditPublisherTest.class.getResourceAsStream("/schemas/apikey-audit-record.schema.json"),
                    SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

    private final ObjectMapper json = new ObjectMapper();
    private final Map<UUID, AuditedKey> states = new HashMap<>();
    private final List<ProducerRecord<String, byte[]>> sent = new ArrayList<>();
    private CompletableFuture<RecordMetadata> kafkaAnswer;
    private final EventStore eventStore = mock(EventStore.class);
    private AuditPublisher publisher;

    @BeforeEach
    void setUp() {
        @SuppressWarnings("unchecked")
        ReadModelTable<AuditedKey> table = mock(ReadModelTable.class);
        when(table.load(any(), eq(BatchProjection.LIVE), any())).thenAnswer(call -> {
            Map<UUID, AuditedKey> found = new HashMap<>();
            call.<Collection<UUID>>getArgument(0).stream().filter(states::containsKey)
                    .forEach(id -> found.put(id, states.get(id)));
            return found;
        });
        doAnswer(call -> {
            call.<Collection<AuditedKey>>getArgument(0).forEach(state -> states.put(state.id(), state));
            return null;
        }).when(table).save(any(), eq(BatchProjection.LIVE));
        kafkaAnswer = CompletableFuture.completedFuture(new RecordMetadata(new TopicPartition("t", 0), 0, 0, 0, 0, 0));
        AuditTopicProducer producer = mock(AuditTopicProducer.class);
        when(producer.send(any())).thenAnswer(call -> {
            sent.add(call.getArgument(0));
            return kafkaAnswer;
        });
        publisher = new AuditPublisher(table, producer,
                new AuditProperties("apikeys.audit.v1", "/apikeys", "unused:9092", 3, (short) 1, Map.of()), eventStore);
    }

    @Test
    void everyEventTypeBecomesACloudEventWhoseValueMatchesTheSchema() throws Exception {
        List<DomainEventMessage<?>> events = List.of(
                message(0, created("org-1", EXPIRES_AT)),
                message(1, new ApiKeyDisabled(KEY, "user-1", CREATED_AT.plusSeconds(1))),
                message(2, new ApiKeyEnabled(KEY, "user-1", CREATED_AT.plusSeconds(2))),
                usage(0, new ApiKeyUsed(KEY, "user-1", CREATED_AT.plusSeconds(3))),
                message(3, new ApiKeyRotated(KEY, "user-1", UUID.randomUUID(), EXPIRES_AT, CREATED_AT.plusSeconds(4))),
                message(4, new ApiKeyDeleted(KEY, "user-1", CREATED_AT.plusSeconds(5))));

        events.forEach(this::handleInItsOwnBatch);

        assertThat(sent).hasSize(6);
        for (int i = 0; i < events.size(); i++) {
            ProducerRecord<String, byte[]> record = sent.get(i);
            DomainEventMessage<?> event = events.get(i);
            assertThat(record.topic()).isEqualTo("apikeys.audit.v1");
            assertThat(record.key()).isEqualTo(KEY.toString());
            assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(record, "ce_id")).isEqualTo(event.getIdentifier());
            assertThat(header(record, "ce_source")).isEqualTo("/apikeys");
            assertThat(header(record, "ce_subject")).isEqualTo(KEY.toString());
            assertThat(header(record, "ce_time")).isEqualTo(event.getTimestamp().toString());
            assertThat(header(record, "content-type")).isEqualTo("application/json");
            assertThat(SCHEMA.validate(value(record))).isEmpty();
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContain(HASH);
            record.headers().forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain(HASH));
        }
        assertThat(sent).extracting(record -> header(record, "ce_type")).containsExactly(
                "apikey.created", "apikey.disabled", "apikey.enabled", "apikey.used", "apikey.rotated",
                "apikey.deleted");
        assertThat(sent).extracting(record -> value(record).get("sequence").asLong())
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(sent).extracting(record -> value(record).get("disabled").asBoolean())
                .containsExactly(false, true, false, false, false, false);
        assertThat(sent).extracting(record -> value(record).get("deleted").asBoolean())
                .containsExactly(false, false, false, false, false, true);
        assertThat(sent).extracting(record -> value(record).get("occurred_at").asText())
                .containsExactly("2025-01-01T10:00:00Z", "2025-01-01T10:00:01Z", "2025-01-01T10:00:02Z",
                        "2025-01-01T10:00:03Z", "2025-01-01T10:00:04Z", "2025-01-01T10:00:05Z");
    }

    @Test
    void theValueDescribesTheWholeKeyAndWhoActed() {
        handleInItsOwnBatch(message(0, created("org-1", EXPIRES_AT)));
        handleInItsOwnBatch(message(1, new ApiKeyDisabled(KEY, "user-1", CREATED_AT.plusSeconds(1))));

        JsonNode value = value(sent.get(1));
        assertThat(value.get("key_id").asText()).isEqualTo(KEY.toString());
        assertThat(value.get("user_id").asText()).isEqualTo("user-1");
        assertThat(value.get("organization_id").asText()).isEqualTo("org-1");
        assertThat(value.get("name").asText()).isEqualTo("ci");
        assertThat(value.get("key_prefix").asText()).isEqualTo("sk_abcde");
        assertThat(value.get("scopes")).extracting(JsonNode::asText).containsExactly("models:read", "workflows:*");
        assertThat(value.get("expires_at").asText()).isEqualTo("2026-01-01T10:00:00.123Z");
        assertThat(value.get("actor_id").asText()).isEqualTo("actor-1");
    }

    @Test
    void aKeyWithoutOrganizationOrExpiryHasNullsThatMatchTheSchema() {
        handleInItsOwnBatch(message(0, created(null, null)));

        JsonNode value = value(sent.get(0));
        assertThat(value.get("organization_id").isNull()).isTrue();
        assertThat(value.get("expires_at").isNull()).isTrue();
        assertThat(SCHEMA.validate(value)).isEmpty();
    }

    @Test
    void aLifecycleRecordHoldsExactlyTheRequiredFields() {
        handleInItsOwnBatch(message(0, created(null, null)));
        handleInItsOwnBatch(message(1, new ApiKeyDisabled(KEY, "user-1", CREATED_AT.plusSeconds(1))));

        for (ProducerRecord<String, byte[]> record : sent) {
            assertThat(fieldNames(value(record))).containsExactlyInAnyOrder(REQUIRED_FIELDS);
        }
    }

    @Test
    void rotatedMovesTheExpiryAndNamesTheNewKey() {
        UUID newKey = UUID.randomUUID();
        Instant rotatedAt = CREATED_AT.plusSeconds(10);
        Instant graceEnds = rotatedAt.plusSeconds(3600);
        handleInItsOwnBatch(message(0, created("org-1", EXPIRES_AT)));

        DomainEventMessage<?> rotated = message(1, new ApiKeyRotated(KEY, "user-1", newKey, graceEnds, rotatedAt));
        handleInItsOwnBatch(rotated);
        handleInItsOwnBatch(message(2, new ApiKeyDisabled(KEY, "user-1", rotatedAt.plusSeconds(1))));

        ProducerRecord<String, byte[]> record = sent.get(1);
        JsonNode value = value(record);
        assertThat(header(record, "ce_type")).isEqualTo("apikey.rotated");
        assertThat(header(record, "ce_id")).isEqualTo(rotated.getIdentifier());
        assertThat(record.key()).isEqualTo(KEY.toString());
        assertThat(SCHEMA.validate(value)).isEmpty();
        assertThat(fieldNames(value)).containsExactlyInAnyOrder(with(REQUIRED_FIELDS, "replaced_by"));
        assertThat(value.get("replaced_by").asText()).isEqualTo(newKey.toString());
        assertThat(value.get("expires_at").asText()).isEqualTo(graceEnds.toString());
        assertThat(value.get("occurred_at").asText()).isEqualTo(rotatedAt.toString());
        assertThat(value.get("actor_id").asText()).isEqualTo("actor-1");
        assertThat(value.get("sequence").asLong()).isEqualTo(1);
        // The state keeps the new expiry, and only the rotated record names the new key.
        JsonNode next = value(sent.get(2));
        assertThat(next.get("expires_at").asText()).isEqualTo(graceEnds.toString());
        assertThat(next.has("replaced_by")).isFalse();
    }

    @Test
    void aKeyIssuedByRotationIsCreatedWithTheKeyItReplaces() {
        UUID oldKey = UUID.randomUUID();
        ApiKeyCreated plain = created("org-1", EXPIRES_AT);

        handleInItsOwnBatch(message(0, new ApiKeyCreated(KEY, plain.userId(), plain.organizationId(), plain.name(),
                plain.keyPrefix(), plain.keyHash(), plain.scopes(), plain.expiresAt(), plain.createdAt(), oldKey)));

        ProducerRecord<String, byte[]> record = sent.get(0);
        JsonNode value = value(record);
        assertThat(header(record, "ce_type")).isEqualTo("apikey.created");
        assertThat(SCHEMA.validate(value)).isEmpty();
        assertThat(fieldNames(value)).containsExactlyInAnyOrder(with(REQUIRED_FIELDS, "rotated_from"));
        assertThat(value.get("rotated_from").asText()).isEqualTo(oldKey.toString());
        assertThat(value.get("sequence").asLong()).isZero();
    }

    @Test
    void usedReportsWhenTheKeyWasLastUsedAndWhoseRequestItWas() {
        Instant lastUsedAt = CREATED_AT.plusSeconds(42).plusMillis(7);
        handleInItsOwnBatch(message(0, created(null, null)));

        DomainEventMessage<?> used = usage(0, new ApiKeyUsed(KEY, "user-1", lastUsedAt));
        handleInItsOwnBatch(used);

        ProducerRecord<String, byte[]> record = sent.get(1);
        JsonNode value = value(record);
        assertThat(header(record, "ce_type")).isEqualTo("apikey.used");
        assertThat(header(record, "ce_id")).isEqualTo(used.getIdentifier());
        assertThat(header(record, "ce_subject")).isEqualTo(KEY.toString());
        assertThat(record.key()).isEqualTo(KEY.toString());
        assertThat(SCHEMA.validate(value)).isEmpty();
        assertThat(fieldNames(value)).containsExactlyInAnyOrder(with(REQUIRED_FIELDS, "last_used_at"));
        assertThat(value.get("last_used_at").asText()).isEqualTo("2025-01-01T10:00:42.007Z");
        assertThat(value.get("occurred_at").asText()).isEqualTo("2025-01-01T10:00:42.007Z");
        assertThat(value.get("actor_id").asText()).isEqualTo("actor-1");
        assertThat(value.get("organization_id").isNull()).isTrue();
        assertThat(value.get("expires_at").isNull()).isTrue();
        assertThat(value.get("sequence").asLong()).isEqualTo(1);
    }

    @Test
    void theSequenceCountsTheKeysRecordsAcrossLifecycleAndUsage() {
        handleInItsOwnBatch(message(0, created("org-1", EXPIRES_AT)));
        handleInItsOwnBatch(usage(0, new ApiKeyUsed(KEY, "user-1", CREATED_AT.plusSeconds(1))));
        handleInItsOwnBatch(usage(1, new ApiKeyUsed(KEY, "user-1", CREATED_AT.plusSeconds(2))));
        handleInItsOwnBatch(message(1, new ApiKeyDisabled(KEY, "user-1", CREATED_AT.plusSeconds(3))));
        handleInItsOwnBatch(usage(2, new ApiKeyUsed(KEY, "user-1", CREATED_AT.plusSeconds(4))));
        handleInItsOwnBatch(message(2, new ApiKeyEnabled(KEY, "user-1", CREATED_AT.plusSeconds(5))));

        assertThat(sent).extracting(record -> value(record).get("sequence").asLong())
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aKeyPublishedBeforeRecordsWereCountedContinuesFromItsLifecycleEvent() {
        // As left by a publisher that numbered records by the key's events: next_sequence is null.
        states.put(KEY, publishedBeforeRecordsWereCounted(created("org-1", EXPIRES_AT)));

        handleInItsOwnBatch(message(3, new ApiKeyDisabled(KEY, "user-1", CREATED_AT.plusSeconds(1))));
        handleInItsOwnBatch(usage(0, new ApiKeyUsed(KEY, "user-1", CREATED_AT.plusSeconds(2))));

        assertThat(sent).extracting(record -> value(record).get("sequence").asLong()).containsExactly(3L, 4L);
    }

    @Test
    void aKeyPublishedBeforeRecordsWereCountedNumbersItsFirstUsageAfterItsLastEvent() {
        states.put(KEY, publishedBeforeRecordsWereCounted(created("org-1", EXPIRES_AT)));
        when(eventStore.lastSequenceNumberFor(KEY.toString())).thenReturn(Optional.of(2L));

        handleInItsOwnBatch(usage(0, new ApiKeyUsed(KEY, "user-1", CREATED_AT.plusSeconds(1))));
        handleInItsOwnBatch(message(3, new ApiKeyDisabled(KEY, "user-1", CREATED_AT.plusSeconds(2))));

        assertThat(sent).extracting(record -> value(record).get("sequence").asLong()).containsExactly(3L, 4L);
    }

    @Test
    void theSchemaRejectsAHashAndAMalformedPrefix() {
        handleInItsOwnBatch(message(0, created("org-1", EXPIRES_AT)));
        ObjectNode withHash = (ObjectNode) value(sent.get(0));
        withHash.put("key_hash", HASH);
        ObjectNode badPrefix = (ObjectNode) value(sent.get(0));
        badPrefix.put("key_prefix", "sk_abc");

        assertThat(SCHEMA.validate(withHash)).isNotEmpty();
        assertThat(SCHEMA.validate(badPrefix)).isNotEmpty();
    }

    @Test
    void aBatchDoesNotCommitUntilKafkaAcknowledgedAndRollsBackWhenItFails() {
        kafkaAnswer = new CompletableFuture<>();
        DomainEventMessage<?> message = message(0, created("org-1", EXPIRES_AT));
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(message);
        AtomicBoolean committed = new AtomicBoolean();
        AtomicBoolean rolledBack = new AtomicBoolean();
        batch.afterCommit(unitOfWork -> committed.set(true));
        batch.onRollback(unitOfWork -> rolledBack.set(true));
        // Kafka answers only after the commit began: a commit that did not wait would go through.
        batch.onPrepareCommit(unitOfWork -> kafkaAnswer.completeAsync(() -> {
            throw new org.apache.kafka.common.errors.TimeoutException("Kafka is down");
        }, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS)));
        publisher.on((ApiKeyEvent) message.getPayload(), message, 0, batch);

        assertThatThrownBy(batch::commit).isInstanceOf(AuditPublicationFailed.class);
        assertThat(committed).isFalse();
        assertThat(rolledBack).isTrue();
    }

    @Test
    void aSendThatFailedAtOnceFailsTheBatchBeforeItsNextEvent() {
        kafkaAnswer = new CompletableFuture<>();
        kafkaAnswer.completeExceptionally(new org.apache.kafka.common.errors.TimeoutException("Kafka is down"));
        DomainEventMessage<?> creation = message(0, created("org-1", EXPIRES_AT));
        DomainEventMessage<?> disabling = message(1, new ApiKeyDisabled(KEY, "user-1", CREATED_AT.plusSeconds(1)));
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(creation);
        publisher.on((ApiKeyEvent) creation.getPayload(), creation, 0, batch);
        publisher.on((ApiKeyEvent) disabling.getPayload(), disabling, 1, batch);

        assertThatThrownBy(batch::commit).isInstanceOf(AuditPublicationFailed.class);
        assertThat(sent).as("nothing sent after the failed one").hasSize(1);
    }

    @Test
    void aBatchPublishesItsEventsInOrderWithOneReadAndOneWriteOfTheStates() {
        DomainEventMessage<?> creation = message(0, created("org-1", EXPIRES_AT));
        DomainEventMessage<?> disabling = message(1, new ApiKeyDisabled(KEY, "user-1", CREATED_AT.plusSeconds(1)));
        DomainEventMessage<?> use = usage(0, new ApiKeyUsed(KEY, "user-1", CREATED_AT.plusSeconds(2)));
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(creation);
        publisher.on((ApiKeyEvent) creation.getPayload(), creation, 0, batch);
        publisher.on((ApiKeyEvent) disabling.getPayload(), disabling, 1, batch);
        publisher.on((ApiKeyEvent) use.getPayload(), use, 0, batch);
        assertThat(sent).as("nothing is sent before the batch commits").isEmpty();

        batch.commit();

        assertThat(sent).extracting(record -> header(record, "ce_type"))
                .containsExactly("apikey.created", "apikey.disabled", "apikey.used");
        assertThat(sent).extracting(record -> value(record).get("sequence").asLong()).containsExactly(0L, 1L, 2L);
        assertThat(sent.get(2)).extracting(record -> value(record).get("disabled").asBoolean()).isEqualTo(true);
        assertThat(states.get(KEY).nextSequence()).isEqualTo(3L);
    }

    private void handleInItsOwnBatch(DomainEventMessage<?> message) {
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(message);
        publisher.on((ApiKeyEvent) message.getPayload(), message, message.getSequenceNumber(), batch);
        batch.commit();
    }

    /** As migrated from a publisher that numbered records by the key's events: how far it got is not known. */
    private static AuditedKey publishedBeforeRecordsWereCounted(ApiKeyCreated created) {
        return new AuditedKey(new KeyState(created.keyId(), created.userId(), created.organizationId(),
                created.name(), created.keyPrefix(), null, created.scopes(), null, null, created.expiresAt(), null,
                null, false, false, KeyPosition.NONE, KeySettings.NONE), null);
    }

    private static DomainEventMessage<?> message(long sequence, ApiKeyEvent payload) {
        return new GenericDomainEventMessage<>("ApiKey", KEY.toString(), sequence, payload,
                MetaData.with(EventMetadata.ACTOR_ID, "actor-1"));
    }

    /** A usage fact: in the key's usage stream, numbered there. */
    private static DomainEventMessage<?> usage(long sequence, ApiKeyUsed payload) {
        return new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE, ApiKeyUsageStream.of(KEY), sequence, payload,
                MetaData.with(EventMetadata.ACTOR_ID, "actor-1"));
    }

    private static ApiKeyCreated created(String organizationId, Instant expiresAt) {
        return new ApiKeyCreated(KEY, "user-1", organizationId, "ci", "sk_abcde", HASH,
                List.of("models:read", "workflows:*"), expiresAt, CREATED_AT, null);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String[] with(String[] fields, String field) {
        List<String> all = new ArrayList<>(List.of(fields));
        all.add(field);
        return all.toArray(String[]::new);
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private JsonNode value(ProducerRecord<String, byte[]> record) {
        try {
            return json.readTree(record.value());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
