package dev.apikeys.runtime.axon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.runtime.RuntimeSpringBootTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.config.Configuration;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContext;

@RuntimeSpringBootTest
class AxonSerializerConfigurationTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    Configuration axon;

    @Autowired
    Serializer serializer;

    @Autowired
    @Qualifier("eventSerializer")
    Serializer eventSerializer;

    @Autowired
    @Qualifier("messageSerializer")
    Serializer messageSerializer;

    @Test
    void axonUsesTheseThreeJacksonSerializersAndNoOthers() {
        Map<String, Serializer> serializers = context.getBeansOfType(Serializer.class);

        assertThat(serializers).containsOnlyKeys("serializer", "eventSerializer", "messageSerializer");
        assertThat(serializers.values()).allSatisfy(s -> assertThat(s).isInstanceOf(JacksonSerializer.class));
        assertThat(axon.serializer()).isSameAs(serializer);
        assertThat(axon.eventSerializer()).isSameAs(eventSerializer);
        assertThat(axon.messageSerializer()).isSameAs(messageSerializer);
    }

    @Test
    void eventsAreCamelCaseJsonWithIsoTimesAndTheirRevision() {
        ApiKeyCreated created = new ApiKeyCreated(UUID.randomUUID(), "user-1", null, "ci", "sk_abcde",
                "ab".repeat(32), List.of("models:read"), null, Instant.parse("2030-01-02T03:04:05Z"), null);

        SerializedObject<String> serialized = eventSerializer.serialize(created, String.class);

        assertThat(serialized.getData()).contains("\"keyId\"", "\"createdAt\":\"2030-01-02T03:04:05Z\"");
        assertThat(serialized.getType().getRevision()).isEqualTo("1");
        ApiKeyCreated read = eventSerializer.deserialize(serialized);
        assertThat(read).isEqualTo(created);
    }

    @Test
    void unknownPropertiesOfAStoredEventAreIgnored() {
        ApiKeyCreated created = new ApiKeyCreated(UUID.randomUUID(), "user-1", "org-a", "ci", "sk_abcde",
                "ab".repeat(32), List.of(), null, Instant.parse("2030-01-02T03:04:05Z"), null);
        String json = eventSerializer.serialize(created, String.class).getData();
        String withExtraField = json.replaceFirst("\\{", "{\"addedLater\":true,");

        ApiKeyCreated read = eventSerializer.deserialize(new SimpleSerializedObject<>(withExtraField, String.class,
                new SimpleSerializedType(ApiKeyCreated.class.getName(), "1")));

        assertThat(read).isEqualTo(created);
    }

    @Test
    void aCreationStoredBeforeRotationExistedReadsAsNotRotatedFromAnything() {
        String storedBeforeRotation = """
                {"keyId":"0b6f8f9e-9a51-4f0e-9d7e-2d1f0c2b6a11","userId":"user-1","organizationId":null,
                 "name":"ci","keyPrefix":"sk_abcde","keyHash":"%s","scopes":["models:read"],
                 "expiresAt":null,"createdAt":"2030-01-02T03:04:05Z"}""".formatted("ab".repeat(32));

        ApiKeyCreated read = eventSerializer.deserialize(new SimpleSerializedObject<>(storedBeforeRotation,
                String.class, new SimpleSerializedType(ApiKeyCreated.class.getName(), "1")));

        assertThat(read.keyId()).isEqualTo(UUID.fromString("0b6f8f9e-9a51-4f0e-9d7e-2d1f0c2b6a11"));
        assertThat(read.rotatedFrom()).isNull();
    }
}
