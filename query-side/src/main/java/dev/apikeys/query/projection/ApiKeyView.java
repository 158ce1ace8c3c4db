package dev.apikeys.query.projection;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One key as GET shows it. Holds neither the key nor its hash. */
@Entity
@Table(schema = "read_model", name = "api_key")
public class ApiKeyView {

    @Id
    private UUID id;

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

    @Column(nullable = false)
    private Instant createdAt;

    @Column(nullable = false)
    private Instant updatedAt;

    private Instant lastUsedAt;

    private Instant expiresAt;

    private boolean disabled;

    private boolean deleted;

    /** The aggregate sequence number of the last event applied, so redelivery is a no-op. */
    private long lastSequence;

    protected ApiKeyView() {
    }

    ApiKeyView(UUID id, String userId, String organizationId, String name, String keyPrefix, List<String> scopes,
            Instant expiresAt, Instant createdAt, long sequence) {
        this.id = id;
        this.userId = userId;
        this.organizationId = organizationId;
        this.name = name;
        this.keyPrefix = keyPrefix;
        this.scopes = List.copyOf(scopes);
        this.expiresAt = expiresAt;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        this.lastSequence = sequence;
    }

    /** A row as stored, read back by {@link ReadModelWriter}. */
    ApiKeyView(UUID id, String userId, String organizationId, String name, String keyPrefix, List<String> scopes,
            Instant createdAt, Instant updatedAt, Instant lastUsedAt, Instant expiresAt, boolean disabled,
            boolean deleted, long lastSequence) {
        this(id, userId, organizationId, name, keyPrefix, scopes, expiresAt, createdAt, lastSequence);
        this.updatedAt = updatedAt;
        this.lastUsedAt = lastUsedAt;
        this.disabled = disabled;
        this.deleted = deleted;
    }

    long lastSequence() {
        return lastSequence;
    }

    /** Whether the event with this sequence number (or a later one) was applied already. */
    boolean hasApplied(long sequence) {
        return sequence <= lastSequence;
    }

    void applied(long sequence, Instant at) {
        lastSequence = sequence;
        updatedAt = at;
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

    /** Records a use unless a later one is recorded already; whether anything changed. */
    boolean usedAt(Instant usedAt) {
        if (lastUsedAt != null && !usedAt.isAfter(lastUsedAt)) {
            return false;
        }
        lastUsedAt = usedAt;
        return true;
    }

    public UUID id() {
        return id;
    }

    public String userId() {
        return userId;
    }

    public String organizationId() {
        return organizationId;
    }

    public String name() {
        return name;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public List<String> scopes() {
        return List.copyOf(scopes);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Instant lastUsedAt() {
        return lastUsedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public boolean disabled() {
        return disabled;
    }

    public boolean deleted() {
        return deleted;
    }
}
