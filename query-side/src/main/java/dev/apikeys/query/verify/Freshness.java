package dev.apikeys.query.verify;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;

/**
 * Whether the keys in memory reflect every event committed before a verification began, so a
 * disable, delete or rotation is honoured as soon as its write answered: the store's head is read
 * after the verification began ({@link StoreHead}), and the verification waits, bounded, until the
 * feed has applied every committed event up to it.
 */
class Freshness {

    private final StoreHead head;
    private final Object progress = new Object();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile TrackingToken applied;

    Freshness(StoreHead head) {
        this.head = head;
    }

    /** The keys now reflect every event up to this position of the store. */
    void applied(TrackingToken position) {
        applied = position;
        if (waiting.get() > 0) {
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    /**
     * Returns once every event committed before the call is reflected in the keys.
     *
     * @return false when that did not happen within the timeout
     * @throws RuntimeException how reading the store's head failed
     */
    boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        StoreHead.Reading reading = head.readBegunAfterNow(() -> gapsOf(applied), deadline);
        if (reading == null) {
            return false;
        }
        if (reading.index() < 0) {
            return true;
        }
        long target = reading.index();
        Set<Long> asked = new HashSet<>(reading.askedGaps());
        Set<Long> committed = new HashSet<>(reading.committedGaps());
        waiting.incrementAndGet();
        try {
            while (System.nanoTime() < deadline) {
                TrackingToken position = applied;
                Set<Long> unasked = gapsUpTo(position, target);
                unasked.removeAll(asked);
                if (!unasked.isEmpty()) {
                    // Any read begun after this verification began tells whether those were committed before it.
                    StoreHead.Reading more = head.readBegunAfterNow(() -> unasked, deadline);
                    if (more == null) {
                        return false;
                    }
                    asked.addAll(more.askedGaps());
                    committed.addAll(more.committedGaps());
                } else if (reflects(position, target, committed)) {
                    return true;
                } else {
                    synchronized (progress) {
                        long remaining = deadline - System.nanoTime();
                        if (applied == position && remaining > 0) {
                            TimeUnit.NANOSECONDS.timedWait(progress, remaining);
                        }
                    }
                }
            }
            return false;
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * Everything up to the head is applied: the keys are past it, and none of the indexes they
     * skipped as not yet committed below it is a committed event. The caller has asked about each
     * of those indexes: the keys' stream can pass an index as a gap after the head was read, from
     * events it fetched before that index's write committed.
     */
    private static boolean reflects(TrackingToken position, long target, Set<Long> committedGaps) {
        if (position instanceof GapAwareTrackingToken gapAware) {
            return gapAware.getIndex() >= target && gapAware.getGaps().stream().noneMatch(committedGaps::contains);
        }
        return position != null && position.position().orElse(-1) >= target;
    }

    /** The indexes at or below {@code target} the keys skipped as not yet committed. */
    private static Set<Long> gapsUpTo(TrackingToken position, long target) {
        Set<Long> gaps = new HashSet<>();
        for (long gap : gapsOf(position)) {
            if (gap <= target) {
                gaps.add(gap);
            }
        }
        return gaps;
    }

    private static Set<Long> gapsOf(TrackingToken position) {
        return position instanceof GapAwareTrackingToken gapAware ? gapAware.getGaps() : Set.of();
    }
}
