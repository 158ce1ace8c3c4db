package dev.apikeys.query.processing;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads of the event store's head for waits that must reflect every write answered before they
 * began, so each wait takes a read begun after it asked. Concurrent waits share reads: those that
 * ask while one runs wait for the next, which one of them runs for all.
 */
public final class StoreHead {

    /**
     * @param index the highest committed global index, -1 for an empty store
     * @param committed those of the {@code asked} indexes that are committed events
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
     * @throws RuntimeException how that read failed, or how one running when this call began did
     */
    public Reading readBegunAfterNow(Supplier<Set<Long>> indexes, long deadlineNanos) throws InterruptedException {
        long mine;
        synchronized (lock) {
            long needed = started + 1;
            // A read failing after this call began shows the store out of reach now: it answers this call too.
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
