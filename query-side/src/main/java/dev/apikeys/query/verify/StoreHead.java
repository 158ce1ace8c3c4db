package dev.apikeys.query.verify;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads the event store's head for verifications, each from a read that began after it asked, so
 * the head includes every write that answered before the verification began. Concurrent
 * verifications share reads: while one read runs, those arriving wait for the next, which one of
 * them runs for all. One read costs a round trip to PostgreSQL; under load it serves many.
 * <p>
 * The announcements of commits (LISTEN/NOTIFY) could not replace this: a verification sent right
 * after a write answered was seen to arrive before the announcement of that write's commit.
 */
class StoreHead {

    /**
     * What one read found.
     *
     * @param index the highest committed global index, -1 for an empty store
     * @param committedGaps those of the asked-about gaps that are committed events
     * @param askedGaps the global indexes the read asked about
     */
    record Reading(long index, Set<Long> committedGaps, Set<Long> askedGaps) {

        Reading {
            committedGaps = Set.copyOf(committedGaps);
            askedGaps = Set.copyOf(askedGaps);
        }

        /** What a read function answers; {@link StoreHead} adds what it asked. */
        Reading(long index, Set<Long> committedGaps) {
            this(index, committedGaps, committedGaps);
        }

        Reading asked(Set<Long> gaps) {
            return new Reading(index, committedGaps, gaps);
        }
    }

    private final Function<Set<Long>, Reading> read;
    private final Object lock = new Object();
    private long started;
    private long completed;
    private boolean reading;
    private Reading last;
    private RuntimeException lastFailure;

    /** @param read reads the head, and which of the given global indexes are committed */
    StoreHead(Function<Set<Long>, Reading> read) {
        this.read = read;
    }

    /**
     * @param gaps the global indexes to ask about, taken when the read begins
     * @return a reading begun after this call, or null when none finished by the deadline
     * @throws RuntimeException how that read failed, or how a read running when this call began
     *         failed after it began
     */
    Reading readBegunAfterNow(Supplier<Set<Long>> gaps, long deadlineNanos) throws InterruptedException {
        long mine;
        synchronized (lock) {
            long needed = started + 1;
            // A read that fails once this call has begun shows the store out of reach now: it
            // answers this call too, which then fails at once instead of after a read of its own.
            long failureAnswers = reading ? started : needed;
            while (completed < needed) {
                if (completed >= failureAnswers && lastFailure != null) {
                    throw lastFailure;
                }
                if (!reading) {
                    reading = true;
                    started++;
                    break;
                }
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, remaining);
            }
            if (completed >= needed) {
                return result();
            }
            mine = started;
        }
        Reading reading = null;
        RuntimeException failure = null;
        try {
            Set<Long> asking = gaps.get();
            reading = read.apply(asking).asked(asking);
        } catch (RuntimeException e) {
            failure = e;
        }
        synchronized (lock) {
            completed = mine;
            last = reading;
            lastFailure = failure;
            this.reading = false;
            lock.notifyAll();
            return result();
        }
    }

    private Reading result() {
        if (lastFailure != null) {
            throw lastFailure;
        }
        return last;
    }
}
