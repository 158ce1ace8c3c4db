package dev.apikeys.command;

import java.time.Duration;
import java.util.UUID;

/**
 * Replace the key with a new one, on behalf of {@code userId}. Carries the new key's prefix and
 * SHA-256 hex digest, never the plaintext.
 *
 * @param gracePeriod how long the old key keeps working, at most until its own expiry
 */
public record RotateApiKey(
        UUID keyId,
        String userId,
        UUID newKeyId,
        String newKeyPrefix,
        String newKeyHash,
        Duration gracePeriod) implements KeyCommand {

    /** Leaves the hash out, so a logged command cannot leak it. */
    @Override
    public String toString() {
        return "RotateApiKey[keyId=" + keyId + ", userId=" + userId + ", newKeyId=" + newKeyId + ", newKeyPrefix="
                + newKeyPrefix + ", gracePeriod=" + gracePeriod + "]";
    }
}
