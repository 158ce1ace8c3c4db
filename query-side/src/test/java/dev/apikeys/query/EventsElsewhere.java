package dev.apikeys.query;

import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.events.EventMetadata;
import java.util.List;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Events stored as the command side in another process would store them: straight through the
 * storage engine, each call in a committed transaction of its own, with nothing in this process
 * told of them.
 */
public final class EventsElsewhere {

    private EventsElsewhere() {
    }

    public static void append(TransactionTemplate transaction, EventStorageEngine storageEngine,
            DomainEventMessage<?>... events) {
        transaction.executeWithoutResult(status -> storageEngine.appendEvents(List.of(events)));
    }

    /** An event of the key's own stream. */
    public static DomainEventMessage<?> ofKey(UUID keyId, long sequence, Object payload, String actorId) {
        return new GenericDomainEventMessage<>("ApiKey", keyId.toString(), sequence, payload, metaData(actorId));
    }

    /** A usage fact, in the key's usage stream. */
    public static DomainEventMessage<?> ofUsage(UUID keyId, long sequence, ApiKeyUsed used, String actorId) {
        return new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE, ApiKeyUsageStream.of(keyId), sequence, used,
                metaData(actorId));
    }

    private static MetaData metaData(String actorId) {
        return MetaData.with(EventMetadata.ACTOR_ID, actorId).and(EventMetadata.CORRELATION_ID, "test");
    }
}
