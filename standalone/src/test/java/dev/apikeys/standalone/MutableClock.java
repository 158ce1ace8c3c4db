package dev.apikeys.standalone;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The service's "now", under a test's control: it ticks in milliseconds like the service's own
 * clock, shifted by whatever the test advanced it, or stands still at an instant the test set. It
 * never runs backwards, so the other tests sharing the process see ordinary time.
 */
final class MutableClock extends Clock {

    private static final Clock SYSTEM = Clock.tickMillis(ZoneOffset.UTC);

    /** Frozen at {@code frozenAt}, or ticking {@code offset} ahead of the system clock. */
    private record State(Instant frozenAt, Duration offset) {

        Instant now() {
            return frozenAt != null ? frozenAt : SYSTEM.instant().plus(offset);
        }
    }

    private volatile State state = new State(null, Duration.ZERO);

    @Override
    public Instant instant() {
        return state.now();
    }

    /** Stops the clock at now and answers that instant. */
    synchronized Instant freeze() {
        Instant now = instant();
        state = new State(now, state.offset());
        return now;
    }

    /** Stops the clock at {@code instant}, which must not lie before now. */
    synchronized void setTo(Instant instant) {
        Instant now = instant();
        if (instant.isBefore(now)) {
            throw new IllegalArgumentException(instant + " lies before now, " + now);
        }
        state = new State(instant, state.offset());
    }

    /** Lets the clock tick on from where it stands. */
    synchronized void resume() {
        State current = state;
        if (current.frozenAt() != null) {
            state = new State(null, Duration.between(SYSTEM.instant(), current.frozenAt()));
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("The service keeps time in UTC");
        }
        return this;
    }
}
