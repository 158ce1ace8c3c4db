package dev.apikeys.command.web;

import dev.apikeys.command.ApiKeyState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * APIKey as the contract shows it. {@code last_used_at} is null here: usage is recorded on the
 * query side, and a key answered by a write has not been used since.
 */
record ApiKeyResponse(
        UUID id,
        Instant createdAt,
        Instant updatedAt,
        String userId,
        String organizationId,
        String name,
        String keyPrefix,
        List<String> scopes,
        Instant lastUsedAt,
        Instant expiresAt,
        boolean disabled) {

    static ApiKeyResponse of(ApiKeyState key) {
        return new ApiKeyResponse(key.keyId(), key.createdAt(), key.updatedAt(), key.userId(), key.organizationId(),
                key.name(), key.keyPrefix(), key.scopes(), null, key.expiresAt(), key.disabled());
    }
}
