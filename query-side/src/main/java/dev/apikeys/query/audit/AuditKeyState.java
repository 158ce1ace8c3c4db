package dev.apikeys.query.audit;

import dev.apikeys.events.ApiKeyCreated;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The publisher's own view of a key. Only ApiKeyCreated describes the key; the later events carry
 * its id, owner and time, so each audit record is completed from this state.
 */
@Entity
@Table(schema = "read_model", name = "audit_key_state")
class AuditKeyState {

    @Id
    private UUID keyId;

    @Column(nullable = false)
    private String userId;

    private String organizationId;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String keyPrefix;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private List<String> scopes;

    private Instant expiresAt;

    private boolean disabled;

    private boolean deleted;

    /**
     * The sequence of the key's next record (lifecycle and usage alike); null until its first record,
     * and for a key published before usage existed, whose records were numbered by its events.
     */
    private Long nextSequence;

    protected AuditKeyState() {
    }

    AuditKeyState(ApiKeyCreated created) {
        this.keyId = created.keyId();
        this.userId = created.userId();
        this.organizationId = created.organizationId();
        this.name = created.name();
        this.keyPrefix = created.keyPrefix();
        this.scopes = List.copyOf(created.scopes());
        this.expiresAt = created.expiresAt();
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
