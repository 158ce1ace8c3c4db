package dev.apikeys.command.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikeys.command.CreditsPatch;
import dev.apikeys.command.RateLimitPatch;
import dev.apikeys.command.UpdateApiKey;
import dev.apikeys.events.RateLimit;
import dev.apikeys.runtime.api.CreditsView;
import dev.apikeys.runtime.api.RateLimitSchema;
import dev.apikeys.runtime.problem.InvalidRequest;
import dev.apikeys.runtime.problem.InvalidRequest.FieldError;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A PATCH of a key: a JSON merge patch (RFC 7396). A member absent stays as it is; null removes it
 * (no name is "", no scopes []); {@code metadata} and {@code rate_limit} merge into the key's. Members outside
 * those a PATCH may change are each a field error.
 */
@Schema(name = "UpdateAPIKeyRequest", description = "A JSON merge patch: an absent member stays, null removes it,"
        + " metadata merges into the key's; no other member is allowed.")
record UpdateKeyRequest(
        @Schema(description = "Trimmed, no control characters", maxLength = KeyFields.MAX_NAME_LENGTH, nullable = true)
        String name,
        @ArraySchema(arraySchema = @Schema(nullable = true, description = "Replaces the key's scopes"),
                schema = @Schema(example = "models:read"))
        List<String> scopes,
        @Schema(type = "object", nullable = true, description = "Merged into the key's metadata (RFC 7396); null"
                + " removes it; the result at most 1 KiB as compact JSON")
        String metadata,
        @ArraySchema(maxItems = KeyFields.MAX_CIDRS, arraySchema = @Schema(nullable = true, description =
                "Replaces the key's allowed CIDRs; null: anywhere"), schema = @Schema(example = "10.0.0.0/8"))
        List<String> allowedCidrs,
        @Schema(implementation = RateLimitSchema.class, nullable = true,
                description = "Merged into the key's rate limit; null removes it")
        RateLimit rateLimit,
        @Schema(implementation = CreditsView.class, nullable = true, description = "remaining given: a new grant of"
                + " that many; refill given: replaces the key's; null: unlimited")
        CreditsView credits) {

    private static final Set<String> MEMBERS = Set.of(UpdateApiKey.NAME, UpdateApiKey.SCOPES, UpdateApiKey.METADATA,
            UpdateApiKey.ALLOWED_CIDRS, "rate_limit", "credits");

    /**
     * @throws InvalidRequest naming every invalid member
     */
    static UpdateApiKey from(JsonNode body, UUID keyId, String userId) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequest("body", "must be a JSON object (a merge patch)");
        }
        List<FieldError> errors = new ArrayList<>();
        Set<String> members = new LinkedHashSet<>();
        body.fieldNames().forEachRemaining(member -> {
            if (MEMBERS.contains(member)) {
                members.add(member);
            } else {
                errors.add(new FieldError(member, "is not a member a PATCH may change"));
            }
        });
        String name = KeyFields.name(body.get(UpdateApiKey.NAME), errors);
        List<String> scopes = KeyFields.scopes(body.get(UpdateApiKey.SCOPES), errors);
        JsonNode metadata = body.get(UpdateApiKey.METADATA);
        String metadataPatch = KeyFields.absent(metadata) ? "null" : KeyFields.metadata(metadata, errors);
        List<String> allowedCidrs = KeyFields.allowedCidrs(body.get(UpdateApiKey.ALLOWED_CIDRS), errors);
        RateLimitPatch rateLimit = KeyFields.rateLimit(body.get(UpdateApiKey.RATE_LIMIT), errors);
        CreditsPatch credits = KeyFields.credits(body.get(UpdateApiKey.CREDITS), errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        return new UpdateApiKey(keyId, userId, members, name, scopes, metadataPatch, allowedCidrs, rateLimit,
                credits);
    }
}
