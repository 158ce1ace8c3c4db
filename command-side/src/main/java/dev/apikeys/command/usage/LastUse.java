package dev.apikeys.command.usage;

import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * When a key was last used, read from its usage stream ({@link ApiKeyUsageStream}), which the
 * query side appends to. The command side keeps no read model, so a write that answers with the
 * whole key reads the stream's latest fact: one indexed lookup of the highest sequence number and
 * one event, however long the stream.
 */
@Component
public class LastUse {

    private final EventStore eventStore;

    LastUse(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** @return the key's {@code last_used_at}, null until it is used */
    public Instant of(UUID keyId) {
        String stream = ApiKeyUsageStream.of(keyId);
        return eventStore.lastSequenceNumberFor(stream)
                .map(latest -> latestUse(eventStore.readEvents(stream, latest)))
                .orElse(null);
    }

    /** The last fact read, should another have been appended since the sequence number was looked up. */
    private static Instant latestUse(DomainEventStream events) {
        Instant lastUsedAt = null;
        while (events.hasNext()) {
            DomainEventMessage<?> event = events.next();
            if (event.getPayload() instanceof ApiKeyUsed used) {
                lastUsedAt = used.lastUsedAt();
            }
        }
        return lastUsedAt;
    }
}
