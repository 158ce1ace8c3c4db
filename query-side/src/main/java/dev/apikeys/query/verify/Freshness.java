package dev.apikeys.query.verify;

import java.time.Duration;
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
        if (reflects(reading)) {
            return true;
        }
        waiting.incrementAndGet();
        try {
            synchronized (progress) {
                while (!reflects(reading)) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(progress, remaining);
                }
                return true;
            }
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * Everything up to the head is applied: the feed is past it, and no committed event it skipped
     * as not yet committed is still missing. Events the feed reads after the head was taken were
     * committed, if at all, by then, so they are applied when it passes them.
     */
    private boolean reflects(StoreHead.Reading reading) {
        TrackingToken position = applied;
        if (reading.index() < 0) {
            return true;
        }
        if (position instanceof GapAwareTrackingToken gapAware) {
            return gapAware.getIndex() >= reading.index()
                    && reading.committedGaps().stream().noneMatch(gapAware.getGaps()::contains);
        }
        return position != null && position.position().orElse(-1) >= reading.index();
    }

    private static Set<Long> gapsOf(TrackingToken position) {
        return position instanceof GapAwareTrackingToken gapAware ? gapAware.getGaps() : Set.of();
    }
}
