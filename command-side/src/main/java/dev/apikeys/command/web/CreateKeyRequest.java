package dev.apikeys.command.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikeys.command.CreditsPatch;
import dev.apikeys.command.RateLimitPatch;
import dev.apikeys.command.UpdateApiKey;
import dev.apikeys.events.Credits;
import dev.apikeys.events.KeySettings;
import dev.apikeys.events.RateLimit;
import dev.apikeys.runtime.api.CreditsView;
import dev.apikeys.runtime.api.RateLimitSchema;
import dev.apikeys.runtime.key.ScopeFormat;
import dev.apikeys.runtime.problem.InvalidRequest;
import dev.apikeys.runtime.problem.InvalidRequest.FieldError;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * A CreateAPIKeyRequest, as the OpenAPI document describes it: every field optional, unknown fields
 * ignored (so {@code user_id}, {@code disabled} and the like are never applied). Read from the JSON
 * tree rather than bound, so a wrong type is one more field error instead of an unreadable body,
 * and every error is reported at once.
 *
 * @param organizationId null when absent; whether the caller belongs to it is checked by the caller
 * @param expiresInDays 0 when the key never expires
 * @param metadata compact JSON, null when absent
 */
@Schema(name = "CreateAPIKeyRequest", description = "Every field optional; {} is valid; other fields are ignored.")
record CreateKeyRequest(
        @Schema(description = "Trimmed, no control characters; absent: \"\"", maxLength = KeyFields.MAX_NAME_LENGTH)
        String name,
        @ArraySchema(maxItems = ScopeFormat.MAX_COUNT, arraySchema = @Schema(description = "Duplicates dropped, order kept"),
                schema = @Schema(pattern = ScopeFormat.REGEX, maxLength = ScopeFormat.MAX_LENGTH, example = "models:read"))
        List<String> scopes,
        @Schema(description = "One of the caller's org_ids, else 403", nullable = true)
        String organizationId,
        @Schema(description = "0 or absent: never expires", minimum = "0", maximum = "" + MAX_EXPIRES_IN_DAYS)
        int expiresInDays,
        @Schema(type = "object", nullable = true, description = "Any JSON object of at most 1 KiB as compact JSON;"
                + " verification answers it with the key")
        String metadata,
        @ArraySchema(maxItems = KeyFields.MAX_CIDRS, arraySchema = @Schema(nullable = true, description =
                "IPv4 or IPv6 CIDRs (a bare address is one host) verification accepts the key from; null: anywhere"),
                schema = @Schema(example = "10.0.0.0/8"))
        List<String> allowedCidrs,
        @Schema(implementation = RateLimitSchema.class, nullable = true)
        RateLimit rateLimit,
        @Schema(implementation = CreditsView.class, nullable = true, description = "Null: unlimited")
        Credits credits) {

    static final int MAX_EXPIRES_IN_DAYS = 3650;

    CreateKeyRequest {
        scopes = List.copyOf(scopes);
    }

    KeySettings settings() {
        return new KeySettings(metadata, allowedCidrs, rateLimit, credits);
    }

    /**
     * @param body the request body, null when there is none
     * @throws InvalidRequest naming every invalid field
     */
    static CreateKeyRequest from(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return new CreateKeyRequest("", List.of(), null, 0, null, null, null, null);
        }
        if (!body.isObject()) {
            throw new InvalidRequest("body", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = KeyFields.name(body.get("name"), errors);
        List<String> scopes = KeyFields.scopes(body.get("scopes"), errors);
        String organizationId = organizationId(body.get("organization_id"), errors);
        int expiresInDays = expiresInDays(body.get("expires_in_days"), errors);
        String metadataJson = KeyFields.metadata(body.get(UpdateApiKey.METADATA), errors);
        List<String> allowedCidrs = KeyFields.allowedCidrs(body.get(UpdateApiKey.ALLOWED_CIDRS), errors);
        RateLimit rateLimit = rateLimit(body.get(UpdateApiKey.RATE_LIMIT), errors);
        Credits credits = credits(body.get(UpdateApiKey.CREDITS), errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        return new CreateKeyRequest(name, scopes, organizationId, expiresInDays, metadataJson, allowedCidrs,
                rateLimit, credits);
    }

    /** Credits as given: the grant's time is the key's creation, which the key stamps. */
    private static Credits credits(JsonNode node, List<FieldError> errors) {
        CreditsPatch given = KeyFields.credits(node, errors);
        if (given == null || !KeyFields.required(node, "remaining", UpdateApiKey.CREDITS, errors)
                || given.remaining() == null) {
            return null;
        }
        return new Credits(given.remaining(), given.refill(), null, given.remaining());
    }

    /** A create gives both members of a rate limit. */
    private static RateLimit rateLimit(JsonNode node, List<FieldError> errors) {
        RateLimitPatch given = KeyFields.rateLimit(node, errors);
        if (given == null) {
            return null;
        }
        boolean complete = KeyFields.required(node, "limit", UpdateApiKey.RATE_LIMIT, errors)
                & KeyFields.required(node, "duration_seconds", UpdateApiKey.RATE_LIMIT, errors);
        return complete && given.limit() != null && given.durationSeconds() != null
                ? new RateLimit(given.limit(), given.durationSeconds())
                : null;
    }

    private static String organizationId(JsonNode node, List<FieldError> errors) {
        if (KeyFields.absent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("organization_id", "must be a string"));
            return null;
        }
        return node.textValue();
    }

    private static int expiresInDays(JsonNode node, List<FieldError> errors) {
        if (KeyFields.absent(node)) {
            return 0;
        }
        if (!node.isIntegralNumber()) {
            errors.add(new FieldError("expires_in_days", "must be an integer"));
            return 0;
        }
        if (!node.canConvertToInt() || node.intValue() < 0 || node.intValue() > MAX_EXPIRES_IN_DAYS) {
            errors.add(new FieldError("expires_in_days", "must be between 0 and " + MAX_EXPIRES_IN_DAYS));
            return 0;
        }
        return node.intValue();
    }

}
