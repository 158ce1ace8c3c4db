package dev.apikeys.query.processing;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wakes waits when something moved. A wait takes the mark, looks at what it waits for, and then
 * waits for a change since that mark, so a change in between is never missed.
 */
public final class Signal {

    private final Object monitor = new Object();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile long mark;

    public long mark() {
        return mark;
    }

    public void signal() {
        synchronized (monitor) {
            mark++;
            if (waiting.get() > 0) {
                monitor.notifyAll();
            }
        }
    }

    /** Returns once signalled since {@code since}, or after {@code nanos}. */
    public void awaitChange(long since, long nanos) throws InterruptedException {
        waiting.incrementAndGet();
        try {
            synchronized (monitor) {
                if (mark == since && nanos > 0) {
                    TimeUnit.NANOSECONDS.timedWait(monitor, nanos);
                }
            }
        } finally {
            waiting.decrementAndGet();
        }
    }
}
