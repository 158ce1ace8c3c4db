package dev.apikeys.command.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikeys.command.CreditsPatch;
import dev.apikeys.command.KeyMetadata;
import dev.apikeys.command.RateLimitPatch;
import dev.apikeys.command.UpdateApiKey;
import dev.apikeys.events.Refill;
import dev.apikeys.runtime.key.ScopeFormat;
import dev.apikeys.runtime.network.Cidr;
import dev.apikeys.runtime.problem.InvalidRequest.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The members create and PATCH share, each read from the JSON tree with its errors added to a
 * list, so that every error of a request is reported at once.
 */
final class KeyFields {

    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_CIDRS = 20;
    static final String METADATA_TOO_LARGE = "must be at most " + KeyMetadata.MAX_BYTES + " bytes as compact JSON";
    static final int MAX_RATE_LIMIT = 1_000_000;
    static final int MAX_RATE_LIMIT_SECONDS = 86_400;
    static final long MAX_CREDITS = 1_000_000_000L;
    private static final Map<String, Refill.Interval> REFILL_INTERVALS = Map.of("daily", Refill.Interval.DAILY,
            "monthly", Refill.Interval.MONTHLY);

    private KeyFields() {
    }

    static String name(JsonNode node, List<FieldError> errors) {
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

    static List<String> scopes(JsonNode node, List<FieldError> errors) {
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

    /** @return the object's compact JSON; null when absent or null */
    static String metadata(JsonNode node, List<FieldError> errors) {
        if (absent(node)) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(UpdateApiKey.METADATA, "must be a JSON object or null"));
            return null;
        }
        String compact = KeyMetadata.compact(node);
        if (!KeyMetadata.fits(compact)) {
            errors.add(new FieldError(UpdateApiKey.METADATA, METADATA_TOO_LARGE));
        }
        return compact;
    }

    /** @return the CIDRs as written, duplicates dropped; null when absent or null (anywhere) */
    static List<String> allowedCidrs(JsonNode node, List<FieldError> errors) {
        if (absent(node)) {
            return null;
        }
        if (!node.isArray()) {
            errors.add(new FieldError(UpdateApiKey.ALLOWED_CIDRS, "must be an array of CIDRs or null"));
            return null;
        }
        if (node.size() > MAX_CIDRS) {
            errors.add(new FieldError(UpdateApiKey.ALLOWED_CIDRS, "must hold at most " + MAX_CIDRS + " CIDRs"));
            return null;
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode cidr = node.get(i);
            String field = UpdateApiKey.ALLOWED_CIDRS + "[" + i + "]";
            if (!cidr.isTextual()) {
                errors.add(new FieldError(field, "must be a string"));
                continue;
            }
            try {
                Cidr.parse(cidr.textValue());
                distinct.add(cidr.textValue());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(field, e.getMessage()));
            }
        }
        return List.copyOf(distinct);
    }

    /**
     * @return the members given, each checked; null when absent or null. Whether both are needed
     *         is the caller's to say: a create needs both, a PATCH merges what it gives.
     */
    static RateLimitPatch rateLimit(JsonNode node, List<FieldError> errors) {
        if (absent(node)) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(UpdateApiKey.RATE_LIMIT, "must be an object with limit and duration_seconds, or null"));
            return null;
        }
        node.fieldNames().forEachRemaining(member -> {
            if (!member.equals("limit") && !member.equals("duration_seconds")) {
                errors.add(new FieldError(UpdateApiKey.RATE_LIMIT + "." + member, "is not a member of a rate limit"));
            }
        });
        return new RateLimitPatch(boundedInt(node.get("limit"), "limit", MAX_RATE_LIMIT, errors),
                boundedInt(node.get("duration_seconds"), "duration_seconds", MAX_RATE_LIMIT_SECONDS, errors));
    }

    private static Integer boundedInt(JsonNode node, String member, int max, List<FieldError> errors) {
        if (absent(node)) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1 || node.intValue() > max) {
            errors.add(new FieldError(UpdateApiKey.RATE_LIMIT + "." + member, "must be an integer from 1 to " + max));
            return null;
        }
        return node.intValue();
    }

    /**
     * @return the members given, each checked; null when absent or null (unlimited). A refill, when
     *         given, is whole: an amount and an interval.
     */
    static CreditsPatch credits(JsonNode node, List<FieldError> errors) {
        if (absent(node)) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(UpdateApiKey.CREDITS, "must be an object with remaining and refill, or null"));
            return null;
        }
        node.fieldNames().forEachRemaining(member -> {
            if (!member.equals("remaining") && !member.equals("refill")) {
                errors.add(new FieldError(UpdateApiKey.CREDITS + "." + member, "is not a member of credits"));
            }
        });
        Long remaining = boundedLong(node.get("remaining"), UpdateApiKey.CREDITS + ".remaining", 0, errors);
        return new CreditsPatch(remaining, node.has("refill"), refill(node.get("refill"), errors));
    }

    private static Refill refill(JsonNode node, List<FieldError> errors) {
        String field = UpdateApiKey.CREDITS + ".refill";
        if (absent(node)) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(field, "must be an object with amount and interval, or null"));
            return null;
        }
        node.fieldNames().forEachRemaining(member -> {
            if (!member.equals("amount") && !member.equals("interval")) {
                errors.add(new FieldError(field + "." + member, "is not a member of a refill"));
            }
        });
        Long amount = boundedLong(node.get("amount"), field + ".amount", 1, errors);
        if (amount == null && absent(node.get("amount"))) {
            errors.add(new FieldError(field + ".amount", "is required"));
        }
        JsonNode interval = node.get("interval");
        Refill.Interval parsed = null;
        if (absent(interval)) {
            errors.add(new FieldError(field + ".interval", "is required"));
        } else if (interval.isTextual() && REFILL_INTERVALS.containsKey(interval.textValue())) {
            parsed = REFILL_INTERVALS.get(interval.textValue());
        } else {
            errors.add(new FieldError(field + ".interval", "must be daily or monthly"));
        }
        return amount == null || parsed == null ? null : new Refill(amount, parsed);
    }

    private static Long boundedLong(JsonNode node, String field, long min, List<FieldError> errors) {
        if (absent(node)) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min
                || node.longValue() > MAX_CREDITS) {
            errors.add(new FieldError(field, "must be an integer from " + min + " to " + MAX_CREDITS));
            return null;
        }
        return node.longValue();
    }

    /**
     * Names {@code object.member} as required when it is absent or null.
     *
     * @return whether it is there (valid or not: an invalid one is named by its own check)
     */
    static boolean required(JsonNode node, String member, String object, List<FieldError> errors) {
        if (absent(node.get(member))) {
            errors.add(new FieldError(object + "." + member, "is required"));
            return false;
        }
        return true;
    }

    /** An explicit null counts as absent. */
    static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }
}
