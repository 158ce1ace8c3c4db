package dev.apikeys.query.history;

import dev.apikeys.events.ApiKeyEvent;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.EventMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * A key's events from the event store itself, upcast as every read of the store is, so what they
 * say is never behind a projection. A key's events are those of its own stream and of its usage
 * stream ({@link ApiKeyUsageStream}), merged in the order they were stored: by global index. Each
 * stream is read through the store's unique index on (aggregate identifier, sequence number), from
 * its first event, whatever snapshots the store keeps.
 */
@Component
class StoredKeyEvents {

    private final EventStore eventStore;

    StoredKeyEvents(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /**
     * One event of a key.
     *
     * @param actorId the user whose request caused it, from the metadata; null if it carries none
     */
    record StoredKeyEvent(ApiKeyEvent event, long sequence, String actorId) {
    }

    /** The key's events in the order they were stored; empty for a key that never existed. */
    List<StoredKeyEvent> of(UUID keyId) {
        List<DomainEventMessage<?>> messages = new ArrayList<>();
        eventStore.readEvents(keyId.toString(), 0).asStream().forEach(messages::add);
        eventStore.readEvents(ApiKeyUsageStream.of(keyId), 0).asStream().forEach(messages::add);
        messages.sort(Comparator.comparingLong(StoredKeyEvents::globalIndex));
        return messages.stream()
                .map(message -> new StoredKeyEvent((ApiKeyEvent) message.getPayload(), message.getSequenceNumber(),
                        actorOf(message)))
                .toList();
    }

    /** The storage engine reads a stream's events with their global index (shared-runtime's EventStoreConfiguration). */
    private static long globalIndex(DomainEventMessage<?> message) {
        return ((TrackedEventMessage<?>) message).trackingToken().position().orElseThrow();
    }

    private static String actorOf(DomainEventMessage<?> message) {
        Object actorId = message.getMetaData().get(EventMetadata.ACTOR_ID);
        return actorId == null ? null : actorId.toString();
    }
}
