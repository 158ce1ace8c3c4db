package dev.apikeys.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyCreditsConsumed;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyEvent;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUpdated;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.events.KeyState;
import dev.apikeys.events.RateLimit;
import dev.apikeys.runtime.api.CreditsView;
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
 * @param changed     only in {@code apikey.updated}: the API names of the members it changed
 * @param consumed    only in {@code apikey.credits_consumed}: how many credits it records consumed
 * @param remaining   only in {@code apikey.credits_consumed}: what that left of the grant
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
        @JsonRawValue String metadata,
        List<String> allowedCidrs,
        RateLimit rateLimit,
        CreditsView credits,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID replacedBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID rotatedFrom,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant lastUsedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> changed,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long consumed,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long remaining) {

    /** The record of an event: the key as the event left it, and what the event adds of its own. */
    static AuditRecord of(KeyState key, ApiKeyEvent event, String actorId, long sequence) {
        return event.accept(new ApiKeyEvent.Visitor<>() {
            @Override
            public AuditRecord created(ApiKeyCreated created) {
                return record(null, created.rotatedFrom(), null, null);
            }

            @Override
            public AuditRecord disabled(ApiKeyDisabled disabled) {
                return record(null, null, null, null);
            }

            @Override
            public AuditRecord enabled(ApiKeyEnabled enabled) {
                return record(null, null, null, null);
            }

            @Override
            public AuditRecord updated(ApiKeyUpdated updated) {
                return record(null, null, null, updated.changed());
            }

            @Override
            public AuditRecord rotated(ApiKeyRotated rotated) {
                return record(rotated.replacedBy(), null, null, null);
            }

            @Override
            public AuditRecord deleted(ApiKeyDeleted deleted) {
                return record(null, null, null, null);
            }

            @Override
            public AuditRecord used(ApiKeyUsed used) {
                return record(null, null, used.lastUsedAt(), null);
            }

            @Override
            public AuditRecord creditsConsumed(ApiKeyCreditsConsumed consumed) {
                return new AuditRecord(key.keyId(), key.userId(), key.organizationId(), key.name(), key.keyPrefix(),
                        key.scopes(), key.expiresAt(), key.disabled(), key.deleted(), event.occurredAt(), actorId,
                        sequence, key.settings().metadata(), key.settings().allowedCidrs(),
                        key.settings().rateLimit(), CreditsView.of(key.settings().credits(), event.occurredAt()), null,
                        null, null, null, consumed.consumed(), consumed.remaining());
            }

            private AuditRecord record(UUID replacedBy, UUID rotatedFrom, Instant lastUsedAt, List<String> changed) {
                return new AuditRecord(key.keyId(), key.userId(), key.organizationId(), key.name(), key.keyPrefix(),
                        key.scopes(), key.expiresAt(), key.disabled(), key.deleted(), event.occurredAt(), actorId,
                        sequence, key.settings().metadata(), key.settings().allowedCidrs(),
                        key.settings().rateLimit(), CreditsView.of(key.settings().credits(), event.occurredAt()),
                        replacedBy, rotatedFrom, lastUsedAt, changed, null, null);
            }
        });
    }
}
