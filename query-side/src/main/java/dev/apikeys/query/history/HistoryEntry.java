package dev.apikeys.query.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyCreditsConsumed;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyEvent;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUpdated;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.events.RateLimit;
import dev.apikeys.runtime.api.CreditsView;
import dev.apikeys.runtime.api.RateLimitSchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One entry of a key's history (snake_case by the HTTP mapper): what every entry has, and the
 * event's own fields where it has any. Never the key's hash.
 */
@Schema(description = "One event of a key: what every entry has, and the event's own fields",
        oneOf = {HistoryEntry.Created.class, HistoryEntry.Changed.class, HistoryEntry.Updated.class,
                HistoryEntry.Rotated.class,
                HistoryEntry.Used.class, HistoryEntry.CreditsConsumed.class})
sealed interface HistoryEntry {

    /** Numbers the key's entries from 0, lifecycle and usage alike, as the audit stream's records. */
    long sequence();

    /** The audit stream's ce_type. */
    String type();

    /** When it happened, by the event's own time. */
    Instant occurredAt();

    String actorId();

    /** @param sequence the entry's number among the key's entries */
    static HistoryEntry of(long sequence, ApiKeyEvent event, String actorId) {
        String type = event.type();
        Instant at = event.occurredAt();
        return event.accept(new ApiKeyEvent.Visitor<>() {
            @Override
            public HistoryEntry created(ApiKeyCreated created) {
                return new Created(sequence, type, at, actorId, created.name(), created.scopes(), created.expiresAt(),
                        created.organizationId(), created.settings().metadata(), created.settings().allowedCidrs(),
                        created.settings().rateLimit(), CreditsView.of(created.settings().credits(), at),
                        created.rotatedFrom());
            }

            @Override
            public HistoryEntry disabled(ApiKeyDisabled disabled) {
                return new Changed(sequence, type, at, actorId);
            }

            @Override
            public HistoryEntry enabled(ApiKeyEnabled enabled) {
                return new Changed(sequence, type, at, actorId);
            }

            @Override
            public HistoryEntry updated(ApiKeyUpdated updated) {
                return new Updated(sequence, type, at, actorId, updated.changed(), updated.name(), updated.scopes(),
                        updated.settings().metadata(), updated.settings().allowedCidrs(), updated.settings().rateLimit(),
                        CreditsView.of(updated.settings().credits(), at));
            }

            @Override
            public HistoryEntry rotated(ApiKeyRotated rotated) {
                return new Rotated(sequence, type, at, actorId, rotated.replacedBy(), rotated.expiresAt());
            }

            @Override
            public HistoryEntry deleted(ApiKeyDeleted deleted) {
                return new Changed(sequence, type, at, actorId);
            }

            @Override
            public HistoryEntry used(ApiKeyUsed used) {
                return new Used(sequence, type, at, actorId, used.lastUsedAt());
            }

            @Override
            public HistoryEntry creditsConsumed(ApiKeyCreditsConsumed consumed) {
                return new CreditsConsumed(sequence, type, at, actorId, consumed.consumed(), consumed.remaining(),
                        consumed.grantedAt(), consumed.granted());
            }
        });
    }

    /** @param rotatedFrom only for a key issued by a rotation */
    record Created(long sequence, String type, Instant occurredAt, String actorId, String name, List<String> scopes,
            Instant expiresAt, String organizationId,
            @JsonRawValue @Schema(type = "object", nullable = true) String metadata, List<String> allowedCidrs,
            @Schema(implementation = RateLimitSchema.class, nullable = true) RateLimit rateLimit,
            @Schema(nullable = true) CreditsView credits,
            @JsonInclude(JsonInclude.Include.NON_NULL) UUID rotatedFrom)
            implements HistoryEntry {
    }

    /** @param changed the members the update changed; every member's value is as it left them */
    record Updated(long sequence, String type, Instant occurredAt, String actorId, List<String> changed, String name,
            List<String> scopes, @JsonRawValue @Schema(type = "object", nullable = true) String metadata,
            List<String> allowedCidrs, @Schema(implementation = RateLimitSchema.class, nullable = true)
            RateLimit rateLimit, @Schema(nullable = true) CreditsView credits) implements HistoryEntry {
    }

    /**
     * @param remaining what the consumption left of the key's credits
     * @param grantedAt when the grant it drew from began: a create, a PATCH, or a refill's midnight,
     *        which this is how the history shows
     * @param granted how many credits that grant gave
     */
    record CreditsConsumed(long sequence, String type, Instant occurredAt, String actorId, long consumed,
            long remaining, Instant grantedAt, long granted) implements HistoryEntry {
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
