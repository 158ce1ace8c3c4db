package dev.apikeys.query.analytics;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** What the analytics count of an event: whose key, when (the event's own time) and which activity. */
record CountedEvent(UUID keyId, String userId, Instant at, Activity activity) {

    static Optional<CountedEvent> of(Object payload) {
        if (payload instanceof ApiKeyCreated c) {
            return Optional.of(new CountedEvent(c.keyId(), c.userId(), c.createdAt(), Activity.CREATED));
        } else if (payload instanceof ApiKeyDisabled d) {
            return Optional.of(new CountedEvent(d.keyId(), d.userId(), d.disabledAt(), Activity.DISABLED));
        } else if (payload instanceof ApiKeyEnabled e) {
            return Optional.of(new CountedEvent(e.keyId(), e.userId(), e.enabledAt(), Activity.ENABLED));
        } else if (payload instanceof ApiKeyDeleted d) {
            return Optional.of(new CountedEvent(d.keyId(), d.userId(), d.deletedAt(), Activity.DELETED));
        } else if (payload instanceof ApiKeyRotated r) {
            return Optional.of(new CountedEvent(r.keyId(), r.userId(), r.rotatedAt(), Activity.ROTATED));
        } else if (payload instanceof ApiKeyUsed u) {
            return Optional.of(new CountedEvent(u.keyId(), u.userId(), u.lastUsedAt(), Activity.USED));
        }
        return Optional.empty();
    }

    OwnerDay ownerDay() {
        return new OwnerDay(userId, LocalDate.ofInstant(at, ZoneOffset.UTC));
    }

    /** Usage facts are numbered in the key's usage stream, everything else in the key's own. */
    boolean inUsageStream() {
        return activity == Activity.USED;
    }
}
