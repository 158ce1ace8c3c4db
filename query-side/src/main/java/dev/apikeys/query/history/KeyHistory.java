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
     * The entries numbered above {@code after}, at most {@code limit} of them.
     *
     * @throws KeyNotFound when the key was never the user's (unknown, or someone else's): the same
     *         404 as the command side's, so neither reveals that someone else's key exists
     */
    List<HistoryEntry> of(UUID keyId, String userId, long after, int limit) {
        List<StoredKeyEvent> events = store.of(keyId);
        KeyState key = KeyState.NONE;
        List<HistoryEntry> history = new ArrayList<>(Math.min(events.size(), limit));
        for (int sequence = 0; sequence < events.size(); sequence++) {
            StoredKeyEvent event = events.get(sequence);
            key = key.apply(event.event(), event.sequence());
            if (sequence > after && history.size() < limit) {
                history.add(HistoryEntry.of(sequence, event.event(), event.actorId()));
            }
        }
        if (!key.exists() || !key.userId().equals(userId)) {
            throw new KeyNotFound();
        }
        return history;
    }
}
