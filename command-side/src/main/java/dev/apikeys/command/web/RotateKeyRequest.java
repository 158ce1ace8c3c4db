package dev.apikeys.command.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikeys.runtime.problem.InvalidRequest;
import java.time.Duration;

/**
 * The rotate request: {@code grace_period_seconds}, an integer 0..604800
 * (seven days), absent or null meaning 0; unknown fields ignored. Read from the JSON tree like
 * {@link CreateKeyRequest}, so a wrong type is a field error.
 */
record RotateKeyRequest(Duration gracePeriod) {

    static final int MAX_GRACE_PERIOD_SECONDS = 604_800;
    private static final String GRACE_PERIOD_SECONDS = "grace_period_seconds";

    /**
     * @param body the request body, null when there is none
     * @throws InvalidRequest when the body is not an object or the grace period is invalid
     */
    static RotateKeyRequest from(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return new RotateKeyRequest(Duration.ZERO);
        }
        if (!body.isObject()) {
            throw new InvalidRequest("body", "must be a JSON object");
        }
        JsonNode seconds = body.get(GRACE_PERIOD_SECONDS);
        if (seconds == null || seconds.isNull()) {
            return new RotateKeyRequest(Duration.ZERO);
        }
        if (!seconds.isIntegralNumber()) {
            throw new InvalidRequest(GRACE_PERIOD_SECONDS, "must be an integer");
        }
        if (!seconds.canConvertToInt() || seconds.intValue() < 0 || seconds.intValue() > MAX_GRACE_PERIOD_SECONDS) {
            throw new InvalidRequest(GRACE_PERIOD_SECONDS, "must be between 0 and " + MAX_GRACE_PERIOD_SECONDS);
        }
        return new RotateKeyRequest(Duration.ofSeconds(seconds.intValue()));
    }
}
