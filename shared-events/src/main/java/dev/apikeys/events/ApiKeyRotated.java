package dev.apikeys.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The owner rotated the key: {@code replacedBy} was issued in its place, and this key now expires
 * at {@code expiresAt}, the earlier of its own expiry and the end of the grace period.
 */
@Revision("1")
public record ApiKeyRotated(UUID keyId, String userId, UUID replacedBy, Instant expiresAt, Instant rotatedAt)
        implements ApiKeyEvent {

    @Override
    public Instant occurredAt() {
        return rotatedAt;
    }

    @Override
    public String type() {
        return "apikey.rotated";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.rotated(this);
    }
}
