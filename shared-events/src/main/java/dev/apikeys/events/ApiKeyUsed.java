package dev.apikeys.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The key passed a verification; {@code lastUsedAt} is the latest such moment since the previous
 * usage fact of the key. Coalesced, so a busy key yields at most one per flush interval. Lives in
 * the key's usage stream ({@link ApiKeyUsageStream}), not in the key's own.
 */
@Revision("1")
public record ApiKeyUsed(UUID keyId, String userId, Instant lastUsedAt) implements ApiKeyEvent {

    @Override
    public Instant occurredAt() {
        return lastUsedAt;
    }

    @Override
    public String type() {
        return "apikey.used";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.used(this);
    }
}
