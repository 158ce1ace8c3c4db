package dev.apikeys.command;

import dev.apikeys.events.KeySettings;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Issue a key. Carries the key's prefix and SHA-256 hex digest, never the plaintext.
 *
 * @param expiresAt null when the key never expires
 * @param settings never null; credits, if any, are granted as the key is created
 */
public record CreateApiKey(
        UUID keyId,
        String userId,
        String organizationId,
        String name,
        String keyPrefix,
        String keyHash,
        List<String> scopes,
        Instant expiresAt,
        KeySettings settings) implements KeyCommand {

    public CreateApiKey {
        scopes = List.copyOf(scopes);
    }

    /** Leaves the hash out, so a logged command cannot leak it. */
    @Override
    public String toString() {
        return "CreateApiKey[keyId=" + keyId + ", userId=" + userId + ", organizationId=" + organizationId
                + ", keyPrefix=" + keyPrefix + ", scopes=" + scopes + ", expiresAt=" + expiresAt + "]";
    }
}
