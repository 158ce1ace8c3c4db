package dev.apikeys.query.verify;

import dev.apikeys.events.RateLimit;
import dev.apikeys.runtime.problem.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Rate limits that never over-admit across instances: this instance answers VALID only from
 * capacity of the key's window it reserved in PostgreSQL first ({@link RateLimitReservations}),
 * a block at a time, the block doubling while the key keeps using it up. A crash forfeits at most
 * the unused part of its blocks; a block left idle is given back, so the other instances may use
 * it. Keys without a rate limit never come here.
 */
@Component
class RateLimiter implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    /** A block unused this long is given back. */
    private static final Duration IDLE = Duration.ofSeconds(1);
    /** After the window was found full, how long before asking again (another instance may give some back). */
    private static final Duration FULL_RETRY = Duration.ofSeconds(1);
    /** A block is at most this share of the limit, so one instance cannot hold a busy window alone. */
    private static final int MAX_BLOCK_SHARE = 8;

    private final Map<UUID, Window> windows = new ConcurrentHashMap<>();
    private final RateLimitReservations reservations;
    private final Clock clock;

    RateLimiter(RateLimitReservations reservations, Clock clock) {
        this.reservations = reservations;
        this.clock = clock;
    }

    /** What a verification of a rate-limited key may answer, and how its window stands. */
    record Decision(boolean admitted, int limit, long remaining, Instant resetAt) {
    }

    /**
     * Takes one of the window's VALID answers, reserving more of the window first when this
     * instance holds none.
     *
     * @throws ProblemException 503 when PostgreSQL cannot be asked for capacity
     */
    Decision admit(UUID keyId, RateLimit limit, Instant now) {
        long start = limit.windowAt(now.getEpochSecond());
        Window window = windows.computeIfAbsent(keyId, id -> new Window());
        synchronized (window) {
            if (windows.get(keyId) != window) {
                // Forgotten by tidy() meanwhile, as its window ended: what it reserves would be lost.
                return admit(keyId, limit, now);
            }
            if (window.start == start && window.limit != limit.limit()) {
                // The owner changed the limit: what this instance holds was reserved under the old one.
                releaseUnused(keyId, window);
                window.fullSince = null;
            }
            window.moveTo(start, limit);
            if (window.used >= window.granted && window.mayAskAgain(now)) {
                reserve(keyId, window, limit, now);
            }
            boolean admitted = window.used < window.granted;
            if (admitted) {
                window.used++;
                window.lastUse = now;
            }
            return window.decision(admitted, limit);
        }
    }

    /** Undoes an answer {@link #admit} took for a verification that then failed a later check. */
    Decision undo(UUID keyId, RateLimit limit, Instant now) {
        long start = limit.windowAt(now.getEpochSecond());
        Window window = windows.get(keyId);
        if (window == null) {
            return peek(keyId, limit, now);
        }
        synchronized (window) {
            if (window.start == start && window.used > 0) {
                window.used--;
            }
        }
        return peek(keyId, limit, now);
    }

    /** How the key's window stands, taking nothing: for answers other than VALID. */
    Decision peek(UUID keyId, RateLimit limit, Instant now) {
        long start = limit.windowAt(now.getEpochSecond());
        Window window = windows.get(keyId);
        if (window == null) {
            return new Decision(false, limit.limit(), limit.limit(), Instant.ofEpochSecond(start + limit.durationSeconds()));
        }
        synchronized (window) {
            return window.start == start
                    ? window.decision(false, limit)
                    : new Decision(false, limit.limit(), limit.limit(), Instant.ofEpochSecond(start + limit.durationSeconds()));
        }
    }

    private void reserve(UUID keyId, Window window, RateLimit limit, Instant now) {
        int block = Math.min(window.block, Math.max(1, limit.limit() / MAX_BLOCK_SHARE));
        RateLimitReservations.Reservation reservation;
        try {
            reservation = reservations.reserve(keyId, window.start, block, limit.limit());
        } catch (DataAccessException e) {
            log.warn("Could not reserve rate-limit capacity: {}", e.toString());
            throw ProblemException.unavailable("/problems/verification-unavailable",
                    "Verification cannot confirm the key's rate limit right now; try again shortly.");
        }
        window.granted += reservation.granted();
        window.reservedByAll = reservation.reservedByAll();
        window.block = Math.min(block * 2, Math.max(1, limit.limit() / MAX_BLOCK_SHARE));
        window.fullSince = reservation.granted() < block ? now : null;
    }

    /** Every quarter second: idle blocks go back, windows that ended are forgotten. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(() -> tidy(clock.instant()), Duration.ofMillis(250));
    }

    void tidy(Instant now) {
        Instant idleSince = now.minus(IDLE);
        windows.forEach((keyId, window) -> {
            synchronized (window) {
                if (window.end <= now.getEpochSecond()) {
                    windows.remove(keyId, window);
                } else if (window.granted > window.used && window.lastUse.isBefore(idleSince)) {
                    releaseUnused(keyId, window);
                    window.block = 1;
                }
            }
        });
    }

    /**
     * Gives back what this instance holds unused of the window. Should PostgreSQL be out of reach,
     * it is forfeited instead: the window then admits less, never more.
     */
    private void releaseUnused(UUID keyId, Window window) {
        if (window.granted > window.used) {
            try {
                reservations.release(keyId, window.start, window.granted - window.used);
            } catch (DataAccessException e) {
                log.debug("Could not give back unused rate-limit capacity: {}", e.toString());
            }
            window.granted = window.used;
        }
    }

    /** This instance's part of a key's current window. */
    private static final class Window {
        long start = Long.MIN_VALUE;
        long end;
        int limit;
        int granted;
        int used;
        int reservedByAll;
        int block = 1;
        Instant lastUse = Instant.MIN;
        /** When a reservation found the window full, null when it did not. */
        Instant fullSince;

        void moveTo(long windowStart, RateLimit rateLimit) {
            if (start != windowStart) {
                start = windowStart;
                granted = 0;
                used = 0;
                reservedByAll = 0;
                fullSince = null;
            }
            end = windowStart + rateLimit.durationSeconds();
            limit = rateLimit.limit();
        }

        boolean mayAskAgain(Instant now) {
            return fullSince == null || !now.isBefore(fullSince.plus(FULL_RETRY));
        }

        /** What is left: what no instance reserved, and what this one holds unused. */
        Decision decision(boolean admitted, RateLimit rateLimit) {
            long remaining = Math.max(0, rateLimit.limit() - reservedByAll) + granted - used;
            return new Decision(admitted, rateLimit.limit(), Math.max(0, remaining), Instant.ofEpochSecond(end));
        }
    }
}
