package dev.apikeys.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A key was issued. Carries everything a replay needs to rebuild the key, but only the SHA-256 hex
 * digest of the key: the plaintext never enters the store.
 *
 * @param rotatedFrom the key this one replaces when it was issued by a rotation, else null (and
 *        absent from events stored before rotation existed)
 * @param settings absent from events stored before keys had settings: none
 */
@Revision("1")
public record ApiKeyCreated(
        UUID keyId,
        String userId,
        String organizationId,
        String name,
        String keyPrefix,
        String keyHash,
        List<String> scopes,
        Instant expiresAt,
        Instant createdAt,
        UUID rotatedFrom,
        KeySettings settings) implements ApiKeyEvent {

    public ApiKeyCreated {
        scopes = List.copyOf(scopes);
        settings = settings == null ? KeySettings.NONE : settings;
    }

    /** A key issued with no settings. */
    public ApiKeyCreated(UUID keyId, String userId, String organizationId, String name, String keyPrefix,
            String keyHash, List<String> scopes, Instant expiresAt, Instant createdAt, UUID rotatedFrom) {
        this(keyId, userId, organizationId, name, keyPrefix, keyHash, scopes, expiresAt, createdAt, rotatedFrom,
                KeySettings.NONE);
    }

    /** Leaves the hash out, so a logged event cannot leak it. */
    @Override
    public String toString() {
        return "ApiKeyCreated[keyId=" + keyId + ", userId=" + userId + ", organizationId=" + organizationId
                + ", keyPrefix=" + keyPrefix + ", scopes=" + scopes + ", expiresAt=" + expiresAt
                + ", createdAt=" + createdAt + ", rotatedFrom=" + rotatedFrom + ", settings=" + settings + "]";
    }

    @Override
    public Instant occurredAt() {
        return createdAt;
    }

    @Override
    public String type() {
        return "apikey.created";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.created(this);
    }
}
