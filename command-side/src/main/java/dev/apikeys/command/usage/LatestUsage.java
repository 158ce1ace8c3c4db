package dev.apikeys.command.usage;

import dev.apikeys.events.ApiKeyEvent;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.KeyState;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * What the key's usage stream ({@link ApiKeyUsageStream}), which the query side appends to, last
 * said: when the key was last used and what is left of its credits. The command side keeps no read
 * model and its keys fold their own stream only, so a write that answers with the whole key, or
 * that copies its credits, reads the stream's last two facts: one indexed lookup of the highest
 * sequence number and two events, however long the stream. Two, since a flush appends a key's use
 * and, for a key with credits, then what it consumed and left; each carries all a reader needs.
 */
@Component
public class LatestUsage {

    private static final int FACTS_A_FLUSH = 2;

    private final EventStore eventStore;

    public LatestUsage(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** The key's state with its usage stream's latest facts applied. */
    public KeyState of(KeyState key) {
        UUID keyId = key.keyId();
        String stream = ApiKeyUsageStream.of(keyId);
        return eventStore.lastSequenceNumberFor(stream)
                .map(latest -> applied(key, eventStore.readEvents(stream, Math.max(0, latest - FACTS_A_FLUSH + 1))))
                .orElse(key);
    }

    /** Every fact read, should another have been appended since the sequence number was looked up. */
    private static KeyState applied(KeyState key, DomainEventStream events) {
        KeyState state = key;
        while (events.hasNext()) {
            DomainEventMessage<?> event = events.next();
            state = state.apply((ApiKeyEvent) event.getPayload(), event.getSequenceNumber());
        }
        return state;
    }
}
