package dev.apikeys.query.history;

import dev.apikeys.events.ApiKeyEvent;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.EventMetadata;
import dev.apikeys.query.keys.HistoryMarks.Mark;
import java.util.Iterator;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * A key's events from the event store itself, upcast as every read of the store is, so what they
 * say is never behind a projection. A key's events are those of its own stream and of its usage
 * stream ({@link ApiKeyUsageStream}), merged in the order they were stored: by global index. Each
 * stream is read through the store's unique index on (aggregate identifier, sequence number), a
 * batch at a time as far as it is consumed, whatever snapshots the store keeps.
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
     * @param sequence its number in its own stream
     * @param actorId the user whose request caused it, from the metadata; null if it carries none
     */
    record StoredKeyEvent(ApiKeyEvent event, long sequence, String actorId) {

        boolean inUsageStream() {
            return ApiKeyUsageStream.holds(event);
        }
    }

    /**
     * The key's events from a mark of its history on, in the order they were stored, read as far as
     * they are consumed. Null when the key's streams do not divide at the mark (as one written from a
     * position that was off would say): the events just before it are read first, and must come first.
     */
    Iterator<StoredKeyEvent> at(Mark mark) {
        long ownBefore = mark.lifecycle() > 0 ? 1 : 0;
        long usedBefore = mark.usage() > 0 ? 1 : 0;
        Iterator<StoredKeyEvent> events = from(mark.keyId(), mark.lifecycle() - ownBefore, mark.usage() - usedBefore);
        for (long before = ownBefore + usedBefore; before > 0; before--) {
            if (!events.hasNext()) {
                return null;
            }
            StoredKeyEvent event = events.next();
            if (event.sequence() >= (event.inUsageStream() ? mark.usage() : mark.lifecycle())) {
                return null;
            }
        }
        return events;
    }

    private Iterator<StoredKeyEvent> from(UUID keyId, long lifecycle, long usage) {
        DomainEventStream own = eventStore.readEvents(keyId.toString(), lifecycle);
        DomainEventStream used = eventStore.readEvents(ApiKeyUsageStream.of(keyId), usage);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return own.hasNext() || used.hasNext();
            }

            @Override
            public StoredKeyEvent next() {
                boolean ownFirst = !used.hasNext()
                        || own.hasNext() && globalIndex(own.peek()) < globalIndex(used.peek());
                return stored(ownFirst ? own.next() : used.next());
            }
        };
    }

    private static StoredKeyEvent stored(DomainEventMessage<?> message) {
        Object actorId = message.getMetaData().get(EventMetadata.ACTOR_ID);
        return new StoredKeyEvent((ApiKeyEvent) message.getPayload(), message.getSequenceNumber(),
                actorId == null ? null : actorId.toString());
    }

    /** The storage engine reads a stream's events with their global index (shared-runtime's EventStoreConfiguration). */
    private static long globalIndex(DomainEventMessage<?> message) {
        return ((TrackedEventMessage<?>) message).trackingToken().position().orElseThrow();
    }
}
