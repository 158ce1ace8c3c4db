package dev.apikeys.query.audit;

import dev.apikeys.events.ApiKeyCreated;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
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

    AuditRecord toRecord(Instant occurredAt, String actorId, long sequence) {
        return new AuditRecord(keyId, userId, organizationId, name, keyPrefix, List.copyOf(scopes), expiresAt,
                disabled, deleted, occurredAt, actorId, sequence);
    }
}
