package dev.apikeys.query.processing;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads of the event store's head for waits that must reflect every write answered before they
 * began: each wait takes a read begun after it asked, so the head includes every such write.
 * Concurrent waits share reads: while one read runs, those that ask meanwhile wait for the next,
 * which one of them runs for all. One read costs one round trip to PostgreSQL; under load it serves
 * many waits.
 */
public final class StoreHead {

    /**
     * What one read found.
     *
     * @param index the highest committed global index, -1 for an empty store
     * @param committed those of the asked indexes that are committed events
     * @param asked the global indexes the read asked about
     */
    public record Reading(long index, Set<Long> committed, Set<Long> asked) {
    }

    private final Function<Set<Long>, EventStoreIndex.Head> read;
    private final Object lock = new Object();
    private long started;
    private long completed;
    private boolean reading;
    private Reading last;
    private RuntimeException lastFailure;

    /** @param read reads the head, and which of the given global indexes are committed */
    public StoreHead(Function<Set<Long>, EventStoreIndex.Head> read) {
        this.read = read;
    }

    /**
     * @param indexes the global indexes to ask about, taken when the read begins
     * @return a reading begun after this call, or null when none finished by the deadline
     * @throws RuntimeException how that read failed, or how a read running when this call began
     *         failed after it began
     */
    public Reading readBegunAfterNow(Supplier<Set<Long>> indexes, long deadlineNanos) throws InterruptedException {
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
        Reading found = null;
        RuntimeException failure = null;
        try {
            Set<Long> asking = Set.copyOf(indexes.get());
            EventStoreIndex.Head head = read.apply(asking);
            found = new Reading(head.index(), head.committed(), asking);
        } catch (RuntimeException e) {
            failure = e;
        }
        synchronized (lock) {
            completed = mine;
            last = found;
            lastFailure = failure;
            reading = false;
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
