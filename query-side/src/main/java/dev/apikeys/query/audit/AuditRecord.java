package dev.apikeys.query.audit;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The value of an audit record (schema {@code schemas/apikey-audit-record.schema.json}): the whole
 * key as it stands after the event. Never the key, never its hash.
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
        long sequence) {
}
