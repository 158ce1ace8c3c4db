package dev.apikeys.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/** The owner enabled the key. */
@Revision("1")
public record ApiKeyEnabled(UUID keyId, String userId, Instant enabledAt) implements ApiKeyEvent {

    @Override
    public Instant occurredAt() {
        return enabledAt;
    }

    @Override
    public String type() {
        return "apikey.enabled";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.enabled(this);
    }
}
