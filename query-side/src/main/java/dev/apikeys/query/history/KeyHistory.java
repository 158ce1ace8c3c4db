package dev.apikeys.query.history;

import dev.apikeys.events.KeyState;
import dev.apikeys.query.history.StoredKeyEvents.StoredKeyEvent;
import dev.apikeys.runtime.problem.KeyNotFound;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** A key's events as its owner sees them, also after the key was deleted. */
@Component
class KeyHistory {

    private final StoredKeyEvents store;

    KeyHistory(StoredKeyEvents store) {
        this.store = store;
    }

    /**
     * @throws KeyNotFound when the key was never the user's (unknown, or someone else's): the same
     *         404 as the command side's, so neither reveals that someone else's key exists
     */
    List<HistoryEntry> of(UUID keyId, String userId) {
        List<StoredKeyEvent> events = store.of(keyId);
        KeyState key = KeyState.NONE;
        List<HistoryEntry> history = new ArrayList<>(events.size());
        for (StoredKeyEvent event : events) {
            key = key.apply(event.event(), event.sequence());
            history.add(HistoryEntry.of(history.size(), event.event(), event.actorId()));
        }
        if (!key.exists() || !key.userId().equals(userId)) {
            throw new KeyNotFound();
        }
        return history;
    }
}
