package dev.apikeys.query.verify;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What verification knows of a key: its hash (to find it), owner, scopes and state.
 *
 * @param sequence the number of the key's last event reflected here, so that an older state
 *        (a redelivered or replayed event) never overwrites a newer one
 */
record VerifiableKey(
        UUID keyId,
        String keyHash,
        String userId,
        String organizationId,
        List<String> scopes,
        Instant expiresAt,
        boolean disabled,
        boolean deleted,
        long sequence) {

    VerifiableKey {
        scopes = List.copyOf(scopes);
    }

    VerifiableKey disabled(boolean disabled, long sequence) {
        return new VerifiableKey(keyId, keyHash, userId, organizationId, scopes, expiresAt, disabled, deleted,
                sequence);
    }

    VerifiableKey deleted(long sequence) {
        return new VerifiableKey(keyId, keyHash, userId, organizationId, scopes, expiresAt, disabled, true,
                sequence);
    }

    VerifiableKey expiringAt(Instant expiresAt, long sequence) {
        return new VerifiableKey(keyId, keyHash, userId, organizationId, scopes, expiresAt, disabled, deleted,
                sequence);
    }

    boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Leaves the hash out, so a logged key cannot leak it. */
    @Override
    public String toString() {
        return "VerifiableKey[keyId=" + keyId + ", userId=" + userId + ", disabled=" + disabled + ", deleted="
                + deleted + ", sequence=" + sequence + "]";
    }
}
