package dev.apikeys.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * VALID verifications consumed {@code consumed} credits of the grant that began at
 * {@code grantedAt}, leaving {@code remaining} of it. Coalesced like {@link ApiKeyUsed}, in the key's
 * usage stream, right after the use it goes with (also at a cost of 0, so the last two facts of a
 * key's usage stream always say what is left); each is appended as the next of that stream, so
 * {@code remaining} is reckoned from every fact before it.
 */
@Revision("1")
public record ApiKeyCreditsConsumed(UUID keyId, String userId, Instant grantedAt, long granted, long consumed,
        long remaining, Instant consumedAt) implements ApiKeyEvent {

    @Override
    public Instant occurredAt() {
        return consumedAt;
    }

    @Override
    public String type() {
        return "apikey.credits_consumed";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.creditsConsumed(this);
    }
}
