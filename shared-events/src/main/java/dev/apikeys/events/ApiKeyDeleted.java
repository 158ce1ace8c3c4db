package dev.apikeys.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/** The owner deleted the key. */
@Revision("1")
public record ApiKeyDeleted(UUID keyId, String userId, Instant deletedAt) implements ApiKeyEvent {

    @Override
    public Instant occurredAt() {
        return deletedAt;
    }

    @Override
    public String type() {
        return "apikey.deleted";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.deleted(this);
    }
}
