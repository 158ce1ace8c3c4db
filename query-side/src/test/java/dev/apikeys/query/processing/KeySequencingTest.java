package dev.apikeys.query.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.junit.jupiter.api.Test;

class KeySequencingTest {

    private static final UUID KEY = UUID.randomUUID();
    private static final Instant AT = Instant.parse("2025-01-01T10:00:00Z");

    private final EventMessage<?> lifecycle = new GenericDomainEventMessage<>("ApiKey", KEY.toString(), 3,
            new ApiKeyDisabled(KEY, "user-1", AT));
    private final EventMessage<?> usage = new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE,
            ApiKeyUsageStream.of(KEY), 0, new ApiKeyUsed(KEY, "user-1", AT));

    @Test
    void aKeysOwnEventsKeepTheSegmentAxonsDefaultGaveThemAndItsUsageJoinsThem() {
        Object byDefault = SequentialPerAggregatePolicy.instance().getSequenceIdentifierFor(lifecycle);

        // Axon's processors match an event to a segment by the hash of its sequence identifier.
        for (Segment segment : Segment.computeSegments(0, 1, 2, 3)) {
            assertThat(segment.matches(ProcessingConfiguration.keyOf(lifecycle))).isEqualTo(segment.matches(byDefault));
            assertThat(segment.matches(ProcessingConfiguration.keyOf(usage))).isEqualTo(segment.matches(byDefault));
        }
    }

    @Test
    void anEventWithoutAggregateIsSequencedByItsId() {
        EventMessage<?> event = GenericEventMessage.asEventMessage("no aggregate");

        assertThat(ProcessingConfiguration.keyOf(event)).isEqualTo(event.getIdentifier());
    }
}
