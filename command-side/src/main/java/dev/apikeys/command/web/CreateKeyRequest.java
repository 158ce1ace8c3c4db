package dev.apikeys.command.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikeys.runtime.key.ScopeFormat;
import dev.apikeys.runtime.problem.InvalidRequest;
import dev.apikeys.runtime.problem.InvalidRequest.FieldError;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A CreateAPIKeyRequest, as the OpenAPI document describes it: every field optional, unknown fields
 * ignored (so {@code user_id}, {@code disabled} and the like are never applied). Read from the JSON
 * tree rather than bound, so a wrong type is one more field error instead of an unreadable body,
 * and every error is reported at once.
 *
 * @param organizationId null when absent; whether the caller belongs to it is checked by the caller
 * @param expiresInDays 0 when the key never expires
 */
@Schema(name = "CreateAPIKeyRequest", description = "Every field optional; {} is valid; other fields are ignored.")
record CreateKeyRequest(
        @Schema(description = "Trimmed, no control characters; absent: \"\"", maxLength = MAX_NAME_LENGTH)
        String name,
        @ArraySchema(maxItems = ScopeFormat.MAX_COUNT, arraySchema = @Schema(description = "Duplicates dropped, order kept"),
                schema = @Schema(pattern = ScopeFormat.REGEX, maxLength = ScopeFormat.MAX_LENGTH, example = "models:read"))
        List<String> scopes,
        @Schema(description = "One of the caller's org_ids, else 403", nullable = true)
        String organizationId,
        @Schema(description = "0 or absent: never expires", minimum = "0", maximum = "" + MAX_EXPIRES_IN_DAYS)
        int expiresInDays) {

    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_EXPIRES_IN_DAYS = 3650;

    CreateKeyRequest {
        scopes = List.copyOf(scopes);
    }

    /**
     * @param body the request body, null when there is none
     * @throws InvalidRequest naming every invalid field
     */
    static CreateKeyRequest from(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return new CreateKeyRequest("", List.of(), null, 0);
        }
        if (!body.isObject()) {
            throw new InvalidRequest("body", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = name(body.get("name"), errors);
        List<String> scopes = scopes(body.get("scopes"), errors);
        String organizationId = organizationId(body.get("organization_id"), errors);
        int expiresInDays = expiresInDays(body.get("expires_in_days"), errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        return new CreateKeyRequest(name, scopes, organizationId, expiresInDays);
    }

    private static String name(JsonNode node, List<FieldError> errors) {
        if (absent(node)) {
            return "";
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("name", "must be a string"));
            return "";
        }
        String name = node.textValue().strip();
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            errors.add(new FieldError("name", "must be at most " + MAX_NAME_LENGTH + " characters"));
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("name", "must not contain control characters"));
        }
        // JSON can escape half of a surrogate pair; UTF-8 cannot carry it, so it would be stored as "?".
        if (name.codePoints().anyMatch(c -> Character.getType(c) == Character.SURROGATE)) {
            errors.add(new FieldError("name", "must not contain unpaired surrogates"));
        }
        return name;
    }

    private static List<String> scopes(JsonNode node, List<FieldError> errors) {
        if (absent(node)) {
            return List.of();
        }
        if (!node.isArray()) {
            errors.add(new FieldError("scopes", "must be an array of strings"));
            return List.of();
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode scope = node.get(i);
            String field = "scopes[" + i + "]";
            if (!scope.isTextual()) {
                errors.add(new FieldError(field, "must be a string"));
            } else if (scope.textValue().length() > ScopeFormat.MAX_LENGTH) {
                errors.add(new FieldError(field, "must be at most " + ScopeFormat.MAX_LENGTH + " characters"));
            } else if (!ScopeFormat.PATTERN.matcher(scope.textValue()).matches()) {
                errors.add(new FieldError(field, "must look like resource:action or resource:*"));
            } else {
                distinct.add(scope.textValue());
            }
        }
        if (distinct.size() > ScopeFormat.MAX_COUNT) {
            errors.add(new FieldError("scopes", "must hold at most " + ScopeFormat.MAX_COUNT + " distinct scopes"));
        }
        return List.copyOf(distinct);
    }

    private static String organizationId(JsonNode node, List<FieldError> errors) {
        if (absent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("organization_id", "must be a string"));
            return null;
        }
        return node.textValue();
    }

    private static int expiresInDays(JsonNode node, List<FieldError> errors) {
        if (absent(node)) {
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

    /** An explicit null counts as absent. */
    private static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }
}
