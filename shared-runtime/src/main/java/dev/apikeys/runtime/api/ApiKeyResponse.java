package dev.apikeys.runtime.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.apikeys.events.KeyState;
import dev.apikeys.events.RateLimit;
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
        boolean disabled,
        @JsonRawValue @Schema(type = "object", nullable = true, description = "The owner's JSON object, null when none")
        String metadata,
        @Schema(nullable = true, description = "The networks verification accepts the key from; null for anywhere")
        List<String> allowedCidrs,
        @Schema(implementation = RateLimitSchema.class, nullable = true)
        RateLimit rateLimit,
        @Schema(nullable = true, description = "Null: unlimited")
        CreditsView credits) {

    /** The key as its state stands at the instant (its credits may have been refilled since). */
    public static ApiKeyResponse of(KeyState key, Instant at) {
        return new ApiKeyResponse(key.keyId(), key.createdAt(), key.updatedAt(), key.userId(), key.organizationId(),
                key.name(), key.keyPrefix(), key.scopes(), key.lastUsedAt(), key.expiresAt(), key.disabled(),
                key.settings().metadata(), key.settings().allowedCidrs(), key.settings().rateLimit(),
                CreditsView.of(key.settings().credits(), at));
    }
}
