package dev.apikeys.query.history;

import dev.apikeys.events.ApiKeyCreated;
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
        boolean owned = events.stream()
                .anyMatch(event -> event.payload() instanceof ApiKeyCreated created && created.userId().equals(userId));
        if (!owned) {
            throw new KeyNotFound();
        }
        List<HistoryEntry> history = new ArrayList<>(events.size());
        for (StoredKeyEvent event : events) {
            history.add(HistoryEntry.of(history.size(), event));
        }
        return history;
    }
}
