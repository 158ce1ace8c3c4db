package dev.apikeys.query.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One entry of a key's history (snake_case by the HTTP mapper): what every entry has, and the
 * event's own fields where it has any. Never the key's hash.
 */
@Schema(description = "One event of a key: what every entry has, and the event's own fields",
        oneOf = {HistoryEntry.Created.class, HistoryEntry.Changed.class, HistoryEntry.Rotated.class,
                HistoryEntry.Used.class})
sealed interface HistoryEntry {

    /** Numbers the key's entries from 0, lifecycle and usage alike, as the audit stream's records. */
    long sequence();

    /** The audit stream's ce_type. */
    String type();

    /** When it happened, by the event's own time. */
    Instant occurredAt();

    String actorId();

    static HistoryEntry of(long sequence, StoredKeyEvent event) {
        Object payload = event.payload();
        String actorId = event.actorId();
        if (payload instanceof ApiKeyCreated created) {
            return new Created(sequence, "apikey.created", created.createdAt(), actorId, created.name(),
                    created.scopes(), created.expiresAt(), created.organizationId(), created.rotatedFrom());
        }
        if (payload instanceof ApiKeyDisabled disabled) {
            return new Changed(sequence, "apikey.disabled", disabled.disabledAt(), actorId);
        }
        if (payload instanceof ApiKeyEnabled enabled) {
            return new Changed(sequence, "apikey.enabled", enabled.enabledAt(), actorId);
        }
        if (payload instanceof ApiKeyRotated rotated) {
            return new Rotated(sequence, "apikey.rotated", rotated.rotatedAt(), actorId, rotated.replacedBy(),
                    rotated.expiresAt());
        }
        if (payload instanceof ApiKeyDeleted deleted) {
            return new Changed(sequence, "apikey.deleted", deleted.deletedAt(), actorId);
        }
        if (payload instanceof ApiKeyUsed used) {
            return new Used(sequence, "apikey.used", used.lastUsedAt(), actorId, used.lastUsedAt());
        }
        // A new kind of event needs an entry here; leaving it out would renumber the rest.
        throw new IllegalStateException("No history entry for " + payload.getClass().getName());
    }

    /** @param rotatedFrom only for a key issued by a rotation */
    record Created(long sequence, String type, Instant occurredAt, String actorId, String name, List<String> scopes,
            Instant expiresAt, String organizationId, @JsonInclude(JsonInclude.Include.NON_NULL) UUID rotatedFrom)
            implements HistoryEntry {
    }

    /** Disabled, enabled, deleted: the event says no more than that and when. */
    record Changed(long sequence, String type, Instant occurredAt, String actorId) implements HistoryEntry {
    }

    record Rotated(long sequence, String type, Instant occurredAt, String actorId, UUID replacedBy, Instant expiresAt)
            implements HistoryEntry {
    }

    record Used(long sequence, String type, Instant occurredAt, String actorId, Instant lastUsedAt)
            implements HistoryEntry {
    }
}
