package dev.apikeys.query.verify;

import dev.apikeys.events.RateLimit;
import dev.apikeys.runtime.problem.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Rate limits that never over-admit across instances: this instance answers VALID only from
 * capacity of the key's window it reserved first (see {@link Allowance}). Keys without a rate
 * limit never come here.
 */
@Component
class RateLimiter implements SchedulingConfigurer {

    private final Allowance windows;
    private final Clock clock;

    RateLimiter(Reservations reservations, Clock clock) {
        this.windows = new Allowance(reservations, Reservations.Pool.RATE_LIMIT_WINDOWS,
                "Verification cannot confirm the key's rate limit right now; try again shortly.");
        this.clock = clock;
    }

    /** What a verification of a rate-limited key may answer, and how its window stands. */
    record Decision(boolean admitted, int limit, long remaining, Instant resetAt) {
    }

    /**
     * Takes one of the window's VALID answers.
     *
     * @throws ProblemException 503 when PostgreSQL cannot be asked for capacity
     */
    Decision admit(UUID keyId, RateLimit limit, Instant now) {
        long start = limit.windowAt(now.getEpochSecond());
        Allowance.Taken taken = windows.take(keyId, start, limit.limit(), limit.limit(), 1, now);
        return new Decision(taken.admitted(), limit.limit(), taken.remaining(), resetAt(limit, start));
    }

    /** Undoes an answer {@link #admit} took for a verification that then failed a later check. */
    Decision undo(UUID keyId, RateLimit limit, Instant now) {
        windows.undo(keyId, limit.windowAt(now.getEpochSecond()), 1);
        return peek(keyId, limit, now);
    }

    /** How the key's window stands, taking nothing: for answers other than VALID. */
    Decision peek(UUID keyId, RateLimit limit, Instant now) {
        long start = limit.windowAt(now.getEpochSecond());
        return new Decision(false, limit.limit(), windows.remaining(keyId, start, limit.limit()), resetAt(limit, start));
    }

    private static Instant resetAt(RateLimit limit, long windowStart) {
        return Instant.ofEpochSecond(windowStart + limit.durationSeconds());
    }

    /** Every quarter second, idle capacity goes back. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(() -> tidy(clock.instant()), Duration.ofMillis(250));
    }

    void tidy(Instant now) {
        windows.tidy(now);
    }
}
