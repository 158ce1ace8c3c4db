package dev.apikeys.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A key as its events leave it: the one fold of a key's events, used by the aggregate that decides
 * commands, the read model, the audit record, verification and the look back in time alike. Pure:
 * {@link #apply} returns the next state and changes nothing.
 *
 * @param keyHash the SHA-256 hex digest of the key; never shown, never published
 * @param updatedAt when the key last changed (usage is no change of the key)
 * @param issuedExpiresAt the expiry the key was issued with, which a rotation's grace period leaves alone
 * @param position how far the key's two streams are applied
 * @param settings never null: {@link KeySettings#NONE} when none is set
 */
public record KeyState(
        UUID keyId,
        String userId,
        String organizationId,
        String name,
        String keyPrefix,
        String keyHash,
        List<String> scopes,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        Instant issuedExpiresAt,
        Instant lastUsedAt,
        boolean disabled,
        boolean deleted,
        KeyPosition position,
        KeySettings settings) {

    /** Before the key's creation. */
    public static final KeyState NONE = new KeyState(null, null, null, null, null, null, List.of(), null, null, null,
            null, null, false, false, KeyPosition.NONE, KeySettings.NONE);

    public KeyState {
        scopes = List.copyOf(scopes);
        settings = settings == null ? KeySettings.NONE : settings;
    }

    /** Whether the key's creation is applied. */
    public boolean exists() {
        return keyId != null;
    }

    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /**
     * The state once the event, numbered {@code sequence} in its stream, is applied. An event applied
     * already, or one of a key whose creation is not, changes nothing: this state is returned.
     */
    public KeyState apply(ApiKeyEvent event, long sequence) {
        if (position.covers(event, sequence) || !exists() && !(event instanceof ApiKeyCreated)) {
            return this;
        }
        KeyPosition next = position.after(event, sequence);
        return event.accept(new ApiKeyEvent.Visitor<>() {
            @Override
            public KeyState created(ApiKeyCreated created) {
                return new KeyState(created.keyId(), created.userId(), created.organizationId(), created.name(),
                        created.keyPrefix(), created.keyHash(), created.scopes(), created.createdAt(),
                        created.createdAt(), created.expiresAt(), created.expiresAt(), null, false, false, next,
                        created.settings());
            }

            @Override
            public KeyState disabled(ApiKeyDisabled disabled) {
                return changed(disabled.disabledAt(), expiresAt, true, deleted, next);
            }

            @Override
            public KeyState enabled(ApiKeyEnabled enabled) {
                return changed(enabled.enabledAt(), expiresAt, false, deleted, next);
            }

            @Override
            public KeyState updated(ApiKeyUpdated updated) {
                return new KeyState(keyId, userId, organizationId, updated.name(), keyPrefix, keyHash, updated.scopes(),
                        createdAt, updated.updatedAt(), expiresAt, issuedExpiresAt, lastUsedAt, disabled, deleted, next,
                        updated.settings().withCredits(creditsAfter(updated)));
            }

            /** The command side does not see consumption: only a new grant or a new refill is its to say. */
            private Credits creditsAfter(ApiKeyUpdated updated) {
                Credits current = settings.credits();
                Credits given = updated.settings().credits();
                if (!updated.changed().contains("credits")) {
                    return current;
                }
                if (given == null || current == null || given.grantedAt().equals(updated.updatedAt())) {
                    return given;
                }
                return new Credits(current.remaining(), given.refill(), current.grantedAt(), current.granted());
            }

            /** Consumption of a grant a later one replaced counts against nothing. */
            @Override
            public KeyState creditsConsumed(ApiKeyCreditsConsumed consumed) {
                Credits current = settings.credits();
                KeySettings after = current == null || consumed.grantedAt().isBefore(current.grantedAt())
                        ? settings
                        : settings.withCredits(new Credits(consumed.remaining(), current.refill(), consumed.grantedAt(),
                                consumed.granted()));
                return new KeyState(keyId, userId, organizationId, name, keyPrefix, keyHash, scopes, createdAt,
                        updatedAt, expiresAt, issuedExpiresAt, lastUsedAt, disabled, deleted, next, after);
            }

            @Override
            public KeyState rotated(ApiKeyRotated rotated) {
                return changed(rotated.rotatedAt(), rotated.expiresAt(), disabled, deleted, next);
            }

            @Override
            public KeyState deleted(ApiKeyDeleted deleted) {
                return changed(deleted.deletedAt(), expiresAt, disabled, true, next);
            }

            /** Facts of one interval may be recorded by several instances: the latest use stays. */
            @Override
            public KeyState used(ApiKeyUsed used) {
                Instant latest = lastUsedAt != null && lastUsedAt.isAfter(used.lastUsedAt())
                        ? lastUsedAt
                        : used.lastUsedAt();
                return new KeyState(keyId, userId, organizationId, name, keyPrefix, keyHash, scopes, createdAt,
                        updatedAt, expiresAt, issuedExpiresAt, latest, disabled, deleted, next, settings);
            }
        });
    }

    private KeyState changed(Instant at, Instant expiresAt, boolean disabled, boolean deleted, KeyPosition next) {
        return new KeyState(keyId, userId, organizationId, name, keyPrefix, keyHash, scopes, createdAt, at, expiresAt,
                issuedExpiresAt, lastUsedAt, disabled, deleted, next, settings);
    }

    /** Leaves the hash out, so a logged state cannot leak it. */
    @Override
    public String toString() {
        return "KeyState[keyId=" + keyId + ", userId=" + userId + ", organizationId=" + organizationId + ", name="
                + name + ", keyPrefix=" + keyPrefix + ", scopes=" + scopes + ", createdAt=" + createdAt
                + ", updatedAt=" + updatedAt + ", expiresAt=" + expiresAt + ", lastUsedAt=" + lastUsedAt
                + ", disabled=" + disabled + ", deleted=" + deleted + ", position=" + position + ", settings=" + settings
                + "]";
    }
}
