package dev.apikeys.query.history;

import dev.apikeys.events.KeyState;
import dev.apikeys.query.history.StoredKeyEvents.StoredKeyEvent;
import dev.apikeys.query.keys.HistoryMarks;
import dev.apikeys.query.keys.HistoryMarks.Mark;
import dev.apikeys.query.keys.KeyRows;
import dev.apikeys.runtime.api.ApiKeyResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A user's keys as they stood at an instant, folded from the events whose own time is at or before
 * it. The read model names the keys (it keeps deleted ones as rows); the store says what they were
 * then. A key's {@link HistoryMarks} bound the fold: it starts from the last mark whose past all
 * happened by the instant and passes over the blocks of entries that all happened after it.
 */
@Component
class KeysAsOf {

    private final KeyRows rows;
    private final HistoryMarks marks;
    private final StoredKeyEvents store;

    KeysAsOf(KeyRows rows, HistoryMarks marks, StoredKeyEvents store) {
        this.rows = rows;
        this.marks = marks;
        this.store = store;
    }

    /** Newest first, like the plain listing: created at or before the instant and not deleted by then. */
    List<ApiKeyResponse> of(String userId, Instant asOf) {
        List<UUID> keyIds = rows.idsOf(userId);
        Map<UUID, List<Mark>> marked = marks.of(keyIds);
        List<ApiKeyResponse> keys = new ArrayList<>();
        for (UUID keyId : keyIds) {
            KeyState key = stateAt(keyId, marked.getOrDefault(keyId, List.of()), asOf);
            if (key == null) {
                key = fold(KeyState.NONE, store.at(Mark.start(keyId)), asOf, Long.MAX_VALUE);
            }
            if (key.exists() && !key.deleted()) {
                keys.add(ApiKeyResponse.of(key, asOf));
            }
        }
        return keys;
    }

    /**
     * Mark {@code i} closes block {@code i} of the key's entries and says when they happened; the
     * block after the last mark is open. Null when the marks cannot say: one is missing (a key
     * from before they were kept), or the store's streams do not divide at one.
     */
    private KeyState stateAt(UUID keyId, List<Mark> marks, Instant asOf) {
        for (int i = 0; i < marks.size(); i++) {
            if (marks.get(i).sequence() != (i + 1) * HistoryMarks.EVERY) {
                return null;
            }
        }
        int from = 0;
        while (from < marks.size() && marks.get(from).latest() != null && !marks.get(from).latest().isAfter(asOf)) {
            from++;
        }
        KeyState key = from == 0 ? KeyState.NONE : marks.get(from - 1).state();
        for (int block = from; block <= marks.size(); block++) {
            boolean open = block == marks.size();
            if (!open && marks.get(block).earliest() != null && marks.get(block).earliest().isAfter(asOf)) {
                continue;
            }
            Iterator<StoredKeyEvent> events = store.at(block == 0 ? Mark.start(keyId) : marks.get(block - 1));
            if (events == null) {
                return null;
            }
            key = fold(key, events, asOf, open ? Long.MAX_VALUE : HistoryMarks.EVERY);
        }
        return key;
    }

    /** Applies those of the next {@code entries} events that happened by the instant. */
    private static KeyState fold(KeyState key, Iterator<StoredKeyEvent> events, Instant asOf, long entries) {
        for (long read = 0; read < entries && events.hasNext(); read++) {
            StoredKeyEvent event = events.next();
            if (!event.event().occurredAt().isAfter(asOf)) {
                key = key.apply(event.event(), event.sequence());
            }
        }
        return key;
    }
}
