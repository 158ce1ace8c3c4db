package dev.apikeys.query.history;

import dev.apikeys.events.KeyState;
import dev.apikeys.query.history.StoredKeyEvents.StoredKeyEvent;
import dev.apikeys.query.keys.KeyRows;
import dev.apikeys.runtime.api.ApiKeyResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A user's keys as they stood at an instant, folded from the events whose own time is at or before
 * it. The read model names the keys (it keeps deleted ones as rows); the store says what they were
 * then.
 */
@Component
class KeysAsOf {

    private final KeyRows rows;
    private final StoredKeyEvents store;

    KeysAsOf(KeyRows rows, StoredKeyEvents store) {
        this.rows = rows;
        this.store = store;
    }

    /** Newest first, like the plain listing: created at or before the instant and not deleted by then. */
    List<ApiKeyResponse> of(String userId, Instant asOf) {
        List<ApiKeyResponse> keys = new ArrayList<>();
        for (UUID keyId : rows.idsOf(userId)) {
            KeyState key = KeyState.NONE;
            for (StoredKeyEvent event : store.of(keyId)) {
                if (!event.event().occurredAt().isAfter(asOf)) {
                    key = key.apply(event.event(), event.sequence());
                }
            }
            if (key.exists() && !key.deleted()) {
                keys.add(new ApiKeyResponse(key.keyId(), key.createdAt(), key.updatedAt(), key.userId(),
                        key.organizationId(), key.name(), key.keyPrefix(), key.scopes(), key.lastUsedAt(),
                        key.expiresAt(), key.disabled()));
            }
        }
        return keys;
    }
}
