package dev.apikeys.query.web;

import dev.apikeys.query.projection.ApiKeyView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** APIKey as the contract shows it (snake_case by the HTTP mapper): never a hash, never the key. */
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

    static ApiKeyResponse of(ApiKeyView view) {
        return new ApiKeyResponse(view.id(), view.createdAt(), view.updatedAt(), view.userId(),
                view.organizationId(), view.name(), view.keyPrefix(), view.scopes(), view.lastUsedAt(),
                view.expiresAt(), view.disabled());
    }
}
