package dev.apikeys.query.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikeys.runtime.key.ScopeFormat;
import dev.apikeys.runtime.problem.InvalidRequest;
import dev.apikeys.runtime.problem.InvalidRequest.FieldError;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.apikeys.runtime.network.IpAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A verification request, read from the JSON tree so every wrong field is
 * reported at once. The key may be any string: one that is not a key is answered MALFORMED, not
 * refused here.
 *
 * @param requiredScopes empty when absent or null
 * @param clientIp the address the caller's own request came from, null when not given
 * @param cost what a VALID answer consumes of the key's credits
 */
@Schema(name = "VerifyRequest")
record VerifyRequest(
        @Schema(description = "The key the caller presented; any string (one that is not a key is MALFORMED)",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String key,
        @ArraySchema(maxItems = ScopeFormat.MAX_COUNT, arraySchema = @Schema(description = "Optional: a:b is met by a:b or a:*"),
                schema = @Schema(pattern = ScopeFormat.REGEX, maxLength = ScopeFormat.MAX_LENGTH))
        List<String> requiredScopes,
        @Schema(type = "string", description = "Optional: the IPv4 or IPv6 address the caller's own request came from,"
                + " checked against the key's allowed_cidrs", example = "203.0.113.7")
        InetAddress clientIp,
        @Schema(description = "Optional: what a VALID answer consumes of the key's credits", minimum = "0",
                maximum = "" + MAX_COST, defaultValue = "1")
        int cost) {

    static final int MAX_COST = 1000;

    VerifyRequest {
        requiredScopes = List.copyOf(requiredScopes);
    }

    /** The key is not worth printing even in a log line. */
    @Override
    public String toString() {
        return "VerifyRequest[requiredScopes=" + requiredScopes + ", clientIp=" + clientIp + ", cost=" + cost + "]";
    }

    /**
     * @param body the request body, null when there is none
     * @throws InvalidRequest naming every invalid field
     */
    static VerifyRequest from(JsonNode body) {
        if (body == null || body.isMissingNode() || !body.isObject()) {
            throw new InvalidRequest("body", "must be a JSON object with a string field key");
        }
        List<FieldError> errors = new ArrayList<>();
        JsonNode keyNode = body.get("key");
        String key = null;
        if (keyNode == null || keyNode.isNull()) {
            errors.add(new FieldError("key", "is required"));
        } else if (!keyNode.isTextual()) {
            errors.add(new FieldError("key", "must be a string"));
        } else {
            key = keyNode.textValue();
        }
        List<String> requiredScopes = requiredScopes(body.get("required_scopes"), errors);
        InetAddress clientIp = clientIp(body.get("client_ip"), errors);
        int cost = cost(body.get("cost"), errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        return new VerifyRequest(key, requiredScopes, clientIp, cost);
    }

    private static InetAddress clientIp(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("client_ip", "must be a string"));
            return null;
        }
        try {
            return IpAddresses.parse(node.textValue());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("client_ip", e.getMessage()));
            return null;
        }
    }

    private static int cost(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return 1;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0 || node.intValue() > MAX_COST) {
            errors.add(new FieldError("cost", "must be an integer from 0 to " + MAX_COST));
            return 1;
        }
        return node.intValue();
    }

    private static List<String> requiredScopes(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            errors.add(new FieldError("required_scopes", "must be an array of scopes"));
            return List.of();
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode scope = node.get(i);
            String field = "required_scopes[" + i + "]";
            if (!scope.isTextual()) {
                errors.add(new FieldError(field, "must be a string"));
            } else if (!ScopeFormat.isValid(scope.textValue())) {
                errors.add(new FieldError(field, "must be at most " + ScopeFormat.MAX_LENGTH
                        + " characters like models:read or workflows:*"));
            } else {
                scopes.add(scope.textValue());
            }
        }
        if (scopes.size() > ScopeFormat.MAX_COUNT) {
            errors.add(new FieldError("required_scopes", "must hold at most " + ScopeFormat.MAX_COUNT + " scopes"));
        }
        return List.copyOf(scopes);
    }
}
