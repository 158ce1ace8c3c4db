package dev.apikeys.query.history;

import dev.apikeys.query.history.StoredKeyEvents.StoredKeyEvent;
import dev.apikeys.query.keys.HistoryMarks;
import dev.apikeys.query.keys.HistoryMarks.Mark;
import dev.apikeys.runtime.problem.KeyNotFound;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A key's events as its owner sees them, also after the key was deleted. A page is read from the
 * store starting at the history mark before it, so it costs about what it returns, however long
 * the key's past.
 */
@Component
class KeyHistory {

    private final StoredKeyEvents store;
    private final HistoryMarks marks;

    KeyHistory(StoredKeyEvents store, HistoryMarks marks) {
        this.store = store;
        this.marks = marks;
    }

    /**
     * The entries numbered above {@code after}, at most {@code limit} of them.
     *
     * @throws KeyNotFound when the key was never the user's (unknown, or someone else's): the same
     *         404 as the command side's, so neither reveals that someone else's key exists
     */
    List<HistoryEntry> of(UUID keyId, String userId, long after, int limit) {
        // Saturating: after + 1 would overflow to the start for the largest after, and read everything.
        Mark mark = marks.atOrBefore(keyId, after == Long.MAX_VALUE ? after : after + 1);
        List<HistoryEntry> page = page(mark, userId, after, limit);
        return page != null ? page : page(Mark.start(keyId), userId, after, limit);
    }

    /** Null when the key's streams do not divide at the mark, so the page is read from the start. */
    private List<HistoryEntry> page(Mark mark, String userId, long after, int limit) {
        Iterator<StoredKeyEvent> events = store.at(mark);
        if (events == null) {
            return null;
        }
        String owner = mark.state().userId();
        List<HistoryEntry> page = new ArrayList<>(limit);
        for (long sequence = mark.sequence(); page.size() < limit && events.hasNext(); sequence++) {
            StoredKeyEvent event = events.next();
            owner = event.event().userId();
            if (sequence > after) {
                page.add(HistoryEntry.of(sequence, event.event(), event.actorId()));
            }
        }
        if (!userId.equals(owner)) {
            throw new KeyNotFound();
        }
        return page;
    }
}
