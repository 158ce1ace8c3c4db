package dev.apikeys.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/** The owner disabled the key. */
@Revision("1")
public record ApiKeyDisabled(UUID keyId, String userId, Instant disabledAt) {
}
