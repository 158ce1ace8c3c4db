package dev.apikeys.query.processing;

import static dev.apikeys.query.processing.Positions.gapsOf;
import static dev.apikeys.query.processing.Positions.indexOf;

import dev.apikeys.query.processing.Positions.Position;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.TrackingToken;

/**
 * Waits until something that applies the store's events has applied every event committed before
 * the wait began: the store's head is read after the wait began ({@link StoreHead}), and the
 * positions must cover it. An index a position passed as a gap (its append was in flight) holds it
 * back only if it is a committed event now; each such index is asked about in a head read. A
 * position this process only reads (another instance's segment, whose stored token moves only now
 * and then) need not reach the head: it is enough that no event up to the head is its to apply.
 */
public final class CatchUp {

    /** How often positions that signal nothing are read again while they hold a wait back. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** The committed events up to a head after an index or among some gaps: {@link EventStoreIndex#between}. */
    public interface Between {
        List<EventStoreIndex.IndexedEvent> events(long after, long head, Set<Long> gaps);
    }

    private final StoreHead head;
    private final Between between;
    private final Runnable fetchNow;

    /** @param fetchNow wakes the streams of this process that tail the store */
    public CatchUp(StoreHead head, Between between, Runnable fetchNow) {
        this.head = head;
        this.between = between;
        this.fetchNow = fetchNow;
    }

    /**
     * @return false when the positions did not cover the head within the timeout
     * @throws RuntimeException how reading the store's head failed
     */
    public boolean await(Positions positions, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        StoreHead.Reading reading = head.readBegunAfterNow(() -> gaps(positions.now().positions(), Long.MAX_VALUE),
                deadline);
        if (reading == null) {
            return false;
        }
        long target = reading.index();
        Set<Long> asked = new HashSet<>(reading.asked());
        Set<Long> committed = new HashSet<>(reading.committed());
        boolean fetched = false;
        while (target >= 0) {
            Positions.Snapshot now = positions.now();
            Set<Long> unasked = gaps(now.positions(), target);
            unasked.removeAll(asked);
            if (!unasked.isEmpty()) {
                StoreHead.Reading more = head.readBegunAfterNow(() -> unasked, deadline);
                if (more == null) {
                    return false;
                }
                asked.addAll(more.asked());
                committed.addAll(more.committed());
                continue;
            }
            List<Position> lagging = now.positions().stream()
                    .filter(position -> !covers(position.token(), target, committed)).toList();
            boolean signalledLag = lagging.stream().anyMatch(Position::signalled);
            if (isWhole(now.positions()) && !signalledLag && noneToApply(lagging, target, committed)) {
                return true;
            }
            if (signalledLag && !fetched) {
                fetchNow.run();
                fetched = true;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            positions.awaitChange(now.mark(), signalledLag ? remaining : Math.min(remaining, RECHECK_NANOS));
        }
        return true;
    }

    /** Whether, of the committed events up to the head, none is one a lagging position has yet to apply. */
    private boolean noneToApply(List<Position> lagging, long target, Set<Long> committed) {
        if (lagging.isEmpty()) {
            return true;
        }
        long after = lagging.stream().mapToLong(position -> indexOf(position.token())).min().orElse(-1);
        Set<Long> gaps = new HashSet<>(gaps(lagging, target));
        gaps.retainAll(committed);
        return between.events(after, target, gaps).stream().noneMatch(event -> lagging.stream().anyMatch(position ->
                position.segment().matches(event.key()) && !applied(position.token(), event.globalIndex())));
    }

    /** The segments together cover every event. */
    private static boolean isWhole(List<Position> positions) {
        double covered = positions.stream().mapToDouble(position -> 1.0 / (position.segment().getMask() + 1)).sum();
        return covered >= 1.0;
    }

    private static boolean covers(TrackingToken token, long target, Set<Long> committed) {
        return indexOf(token) >= target && gapsOf(token).stream().noneMatch(gap -> gap <= target
                && committed.contains(gap));
    }

    private static boolean applied(TrackingToken token, long globalIndex) {
        return globalIndex <= indexOf(token) && !gapsOf(token).contains(globalIndex);
    }

    private static Set<Long> gaps(List<Position> positions, long upTo) {
        Set<Long> gaps = new HashSet<>();
        positions.forEach(position -> gapsOf(position.token()).stream().filter(gap -> gap <= upTo).forEach(gaps::add));
        return gaps;
    }
}
