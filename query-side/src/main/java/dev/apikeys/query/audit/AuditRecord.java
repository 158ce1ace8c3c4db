package dev.apikeys.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The value of an audit record (schema {@code schemas/apikey-audit-record.schema.json}): the whole
 * key as it stands after the event. Never the key, never its hash.
 *
 * @param sequence    the key's record number, from 0, over its lifecycle and usage records alike
 * @param replacedBy  only in {@code apikey.rotated}: the key issued in this one's place
 * @param rotatedFrom only in {@code apikey.created} of a key issued by rotation: the key it replaces
 * @param lastUsedAt  only in {@code apikey.used}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record AuditRecord(
        UUID keyId,
        String userId,
        String organizationId,
        String name,
        String keyPrefix,
        List<String> scopes,
        Instant expiresAt,
        boolean disabled,
        boolean deleted,
        Instant occurredAt,
        String actorId,
        long sequence,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID replacedBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID rotatedFrom,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant lastUsedAt) {

    AuditRecord withReplacedBy(UUID replacedBy) {
        return new AuditRecord(keyId, userId, organizationId, name, keyPrefix, scopes, expiresAt, disabled, deleted,
                occurredAt, actorId, sequence, replacedBy, rotatedFrom, lastUsedAt);
    }

    AuditRecord withRotatedFrom(UUID rotatedFrom) {
        return new AuditRecord(keyId, userId, organizationId, name, keyPrefix, scopes, expiresAt, disabled, deleted,
                occurredAt, actorId, sequence, replacedBy, rotatedFrom, lastUsedAt);
    }

    AuditRecord withLastUsedAt(Instant lastUsedAt) {
        return new AuditRecord(keyId, userId, organizationId, name, keyPrefix, scopes, expiresAt, disabled, deleted,
                occurredAt, actorId, sequence, replacedBy, rotatedFrom, lastUsedAt);
    }
}
