package dev.apikeys.bench;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code read_model.api_key} holds of a key that a crash could get wrong: the last event it
 * applied and the two flags. The drills compare the read model's with a fold of the store's.
 */
record KeyState(long lastSequence, boolean disabled, boolean deleted) {

    /**
     * Every key's state as its lifecycle events make it, applied in order; usage facts (another
     * stream, numbered on their own) change none of this.
     *
     * @param events in the store's order
     * @return by key id
     */
    static Map<String, KeyState> fold(List<StoredEvent> events) {
        Map<String, KeyState> keys = new HashMap<>();
        for (StoredEvent event : events) {
            if (event.isLifecycle()) {
                keys.put(event.keyId(), keys.getOrDefault(event.keyId(), new KeyState(-1, false, false)).apply(event));
            }
        }
        return keys;
    }

    private KeyState apply(StoredEvent event) {
        long sequence = Math.max(lastSequence, event.sequence());
        if (event.is(ApiKeyCreated.class)) {
            return new KeyState(sequence, false, false);
        } else if (event.is(ApiKeyDisabled.class)) {
            return new KeyState(sequence, true, deleted);
        } else if (event.is(ApiKeyEnabled.class)) {
            return new KeyState(sequence, false, deleted);
        } else if (event.is(ApiKeyDeleted.class)) {
            return new KeyState(sequence, disabled, true);
        }
        // A rotation shortens the expiry, which is not compared here.
        return new KeyState(sequence, disabled, deleted);
    }
}
