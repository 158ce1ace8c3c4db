package dev.apikeys.command;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A key as its events leave it, returned by the toggle and rotate handlers so the caller can
 * answer with the key. Never the hash.
 *
 * @param updatedAt when the key's last event happened
 */
public record ApiKeyState(
        UUID keyId,
        String userId,
        String organizationId,
        String name,
        String keyPrefix,
        List<String> scopes,
        Instant expiresAt,
        Instant createdAt,
        Instant updatedAt,
        boolean disabled) {
}
