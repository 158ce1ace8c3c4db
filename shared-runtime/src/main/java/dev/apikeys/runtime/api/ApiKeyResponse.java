package dev.apikeys.runtime.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * APIKey as the API shows it (snake_case by the HTTP mapper): never a hash, never the key.
 * Both sides answer with it, so GET and PUT render a key the same way.
 */
@Schema(name = "APIKey")
public record ApiKeyResponse(
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
}
