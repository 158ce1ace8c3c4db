package dev.apikeys.query.audit;

import dev.apikeys.events.ApiKeyCreated;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The publisher's own view of a key. Only ApiKeyCreated describes the key; the later events carry
 * its id, owner and time, so each audit record is completed from this state.
 */
final class AuditKeyState {

    private final UUID keyId;
    private final String userId;
    private final String organizationId;
    private final String name;
    private final String keyPrefix;
    private final List<String> scopes;
    private Instant expiresAt;
    private boolean disabled;
    private boolean deleted;

    /**
     * The sequence of the key's next record (lifecycle and usage alike); null until its first record,
     * and for a key published before usage existed, whose records were numbered by its events.
     */
    private Long nextSequence;

    AuditKeyState(ApiKeyCreated created) {
        this(created.keyId(), created.userId(), created.organizationId(), created.name(), created.keyPrefix(),
                created.scopes(), created.expiresAt(), false, false, null);
    }

    /** As stored in {@code read_model.audit_key_state}. */
    AuditKeyState(UUID keyId, String userId, String organizationId, String name, String keyPrefix,
            List<String> scopes, Instant expiresAt, boolean disabled, boolean deleted, Long nextSequence) {
        this.keyId = keyId;
        this.userId = userId;
        this.organizationId = organizationId;
        this.name = name;
        this.keyPrefix = keyPrefix;
        this.scopes = List.copyOf(scopes);
        this.expiresAt = expiresAt;
        this.disabled = disabled;
        this.deleted = deleted;
        this.nextSequence = nextSequence;
    }

    UUID keyId() {
        return keyId;
    }

    String userId() {
        return userId;
    }

    String organizationId() {
        return organizationId;
    }

    String name() {
        return name;
    }

    String keyPrefix() {
        return keyPrefix;
    }

    List<String> scopes() {
        return scopes;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    boolean disabled() {
        return disabled;
    }

    boolean deleted() {
        return deleted;
    }

    Long nextSequence() {
        return nextSequence;
    }

    void disable() {
        disabled = true;
    }

    void enable() {
        disabled = false;
    }

    void delete() {
        deleted = true;
    }

    void expireAt(Instant expiresAt) {
        this.expiresAt = expiresAt;
    }

    /**
     * The sequence of the record about to be published, counted so the next record gets the one
     * after it.
     *
     * @param uncounted the sequence when this key has no count yet
     */
    long countRecord(LongSupplier uncounted) {
        long sequence = nextSequence == null ? uncounted.getAsLong() : nextSequence;
        nextSequence = sequence + 1;
        return sequence;
    }

    AuditRecord toRecord(Instant occurredAt, String actorId, long sequence) {
        return new AuditRecord(keyId, userId, organizationId, name, keyPrefix, List.copyOf(scopes), expiresAt,
                disabled, deleted, occurredAt, actorId, sequence, null, null, null);
    }
}
