package dev.apikeys.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/** The owner disabled the key. */
@Revision("1")
public record ApiKeyDisabled(UUID keyId, String userId, Instant disabledAt) implements ApiKeyEvent {

    @Override
    public Instant occurredAt() {
        return disabledAt;
    }

    @Override
    public String type() {
        return "apikey.disabled";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.disabled(this);
    }
}
