package dev.apikeys.query.history;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.query.projection.ApiKeyViews;
import dev.apikeys.runtime.api.ApiKeyResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A user's keys as they stood at an instant, folded from their events. The read model names the
 * keys (it keeps deleted ones as rows); the store says what they were then, by each event's own time.
 */
@Component
class KeysAsOf {

    private final ApiKeyViews views;
    private final StoredKeyEvents store;

    KeysAsOf(ApiKeyViews views, StoredKeyEvents store) {
        this.views = views;
        this.store = store;
    }

    /** Newest first, like the plain listing: created at or before the instant and not deleted by then. */
    List<ApiKeyResponse> of(String userId, Instant asOf) {
        List<UUID> keyIds = views.findAllIdsOfUser(userId);
        Map<UUID, List<Object>> events = store.payloadsOf(keyIds);
        List<ApiKeyResponse> keys = new ArrayList<>();
        for (UUID keyId : keyIds) {
            KeyAsOf key = new KeyAsOf();
            for (Object event : events.getOrDefault(keyId, List.of())) {
                key.apply(event, asOf);
            }
            if (key.stood()) {
                keys.add(key.response());
            }
        }
        return keys;
    }

    /** One key, from the events whose own time is at or before the instant, in the order they were stored. */
    private static final class KeyAsOf {

        private ApiKeyCreated created;
        private Instant updatedAt;
        private Instant lastUsedAt;
        private Instant expiresAt;
        private boolean disabled;
        private boolean deleted;

        void apply(Object payload, Instant asOf) {
            if (payload instanceof ApiKeyCreated event) {
                if (!event.createdAt().isAfter(asOf)) {
                    created = event;
                    expiresAt = event.expiresAt();
                    updatedAt = event.createdAt();
                }
            } else if (payload instanceof ApiKeyDisabled event) {
                change(event.disabledAt(), asOf, () -> disabled = true);
            } else if (payload instanceof ApiKeyEnabled event) {
                change(event.enabledAt(), asOf, () -> disabled = false);
            } else if (payload instanceof ApiKeyRotated event) {
                change(event.rotatedAt(), asOf, () -> expiresAt = event.expiresAt());
            } else if (payload instanceof ApiKeyDeleted event) {
                change(event.deletedAt(), asOf, () -> deleted = true);
            } else if (payload instanceof ApiKeyUsed event) {
                // Usage is no change of the key: updated_at stays, as in the read model.
                Instant usedAt = event.lastUsedAt();
                if (!usedAt.isAfter(asOf) && (lastUsedAt == null || usedAt.isAfter(lastUsedAt))) {
                    lastUsedAt = usedAt;
                }
            } else {
                throw new IllegalStateException("No state change for " + payload.getClass().getName());
            }
        }

        private void change(Instant at, Instant asOf, Runnable change) {
            if (created != null && !at.isAfter(asOf)) {
                change.run();
                updatedAt = at;
            }
        }

        boolean stood() {
            return created != null && !deleted;
        }

        ApiKeyResponse response() {
            return new ApiKeyResponse(created.keyId(), created.createdAt(), updatedAt, created.userId(),
                    created.organizationId(), created.name(), created.keyPrefix(), created.scopes(), lastUsedAt,
                    expiresAt, disabled);
        }
    }
}
