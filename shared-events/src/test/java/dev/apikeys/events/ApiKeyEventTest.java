package dev.apikeys.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ApiKeyEventTest {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private static final UUID KEY = UUID.randomUUID();
    private static final Instant AT = Instant.parse("2026-11-01T10:00:00Z");

    static Stream<ApiKeyEvent> events() {
        return Stream.of(
                new ApiKeyCreated(KEY, "alice", null, "ci", "sk_abcde", "f00d", List.of(), null, AT, null),
                new ApiKeyCreated(KEY, "alice", null, "ci", "sk_abcde", "f00d", List.of(), null, AT, null,
                        new KeySettings("{\"a\":1}", List.of("10.0.0.0/8", "2001:db8::/32"), null, null)),
                new ApiKeyUpdated(KEY, "alice", List.of("scopes"), "ci", List.of("models:read"), KeySettings.NONE, AT),
                new ApiKeyUpdated(KEY, "alice", List.of("credits"), "ci", List.of(), new KeySettings(null, null,
                        new RateLimit(5, 60), Credits.granted(9, new Refill(10, Refill.Interval.MONTHLY), AT)), AT),
                new ApiKeyCreditsConsumed(KEY, "alice", AT.minusSeconds(60), 9, 2, 7, AT),
                new ApiKeyDisabled(KEY, "alice", AT),
                new ApiKeyEnabled(KEY, "alice", AT),
                new ApiKeyRotated(KEY, "alice", UUID.randomUUID(), AT, AT),
                new ApiKeyDeleted(KEY, "alice", AT),
                new ApiKeyUsed(KEY, "alice", AT));
    }

    /** What is stored is the record's components: the type and the time of every event are derived. */
    @ParameterizedTest
    @MethodSource("events")
    void isStoredAsItsComponentsAlone(ApiKeyEvent event) throws Exception {
        List<String> components = Stream.of(event.getClass().getRecordComponents()).map(c -> c.getName()).toList();
        assertThat(JSON.readTree(JSON.writeValueAsBytes(event)).fieldNames()).toIterable()
                .containsExactlyInAnyOrderElementsOf(components);
        assertThat(JSON.readValue(JSON.writeValueAsBytes(event), event.getClass())).isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("events")
    void namesItsTypeAsTheAuditStreamDoesAndTellsWhenItHappened(ApiKeyEvent event) {
        assertThat(event.type()).matches("apikey\\.(created|disabled|enabled|updated|rotated|deleted|used|credits_consumed)");
        assertThat(event.occurredAt()).isEqualTo(AT);
        assertThat(event.keyId()).isEqualTo(KEY);
    }

    @Test
    void aCreationStoredBeforeKeysHadSettingsHasNone() throws Exception {
        ObjectNode stored = JSON.valueToTree(new ApiKeyCreated(KEY, "alice", null, "ci", "sk_abcde", "f00d", List.of(),
                null, AT, null, new KeySettings("{}", List.of(), null, null)));
        stored.remove("settings");

        assertThat(JSON.treeToValue(stored, ApiKeyCreated.class).settings()).isEqualTo(KeySettings.NONE);
    }
}
