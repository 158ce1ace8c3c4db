package dev.apikeys.query.verify;

import dev.apikeys.events.Credits;
import dev.apikeys.runtime.problem.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Credits that are never consumed past what a grant gave, across instances: this instance answers
 * VALID only from credits of the key's current grant it reserved in PostgreSQL first
 * ({@link CreditReservations}), a block at a time, the block doubling while used up. A crash
 * forfeits at most what it held; credits held idle for a second are given back. A refill or a
 * PATCH that grants credits is a new grant: what was held of the old one is given up. Keys with
 * unlimited credits never come here.
 */
@Component
class CreditMeter implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(CreditMeter.class);
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration EMPTY_RETRY = Duration.ofSeconds(1);
    /** A block is at most this share of the grant, so one instance cannot hold a busy grant alone. */
    private static final int MAX_BLOCK_SHARE = 8;

    private final Map<UUID, Held> held = new ConcurrentHashMap<>();
    private final CreditReservations reservations;
    private final Clock clock;

    CreditMeter(CreditReservations reservations, Clock clock) {
        this.reservations = reservations;
        this.clock = clock;
    }

    /**
     * @param grant the credits as they stand now ({@link Credits#at})
     * @param remaining what the grant has left: unreserved, and held here unused
     */
    record Decision(boolean admitted, Credits grant, long remaining) {
    }

    /**
     * Takes {@code cost} credits of the key's current grant, reserving more first when this
     * instance holds too few.
     *
     * @throws ProblemException 503 when PostgreSQL cannot be asked for credits
     */
    Decision take(UUID keyId, Credits credits, long cost, Instant now) {
        Credits grant = credits.at(now);
        Held mine = held.computeIfAbsent(keyId, id -> new Held());
        synchronized (mine) {
            if (held.get(keyId) != mine) {
                return take(keyId, credits, cost, now);
            }
            moveTo(keyId, mine, grant);
            if (mine.credits < cost && mine.mayAskAgain(now)) {
                reserve(keyId, mine, grant, cost, now);
            }
            boolean admitted = mine.credits >= cost;
            if (admitted) {
                mine.credits -= cost;
                mine.lastUse = now;
            }
            return new Decision(admitted, grant, mine.unreserved + mine.credits);
        }
    }

    /** What the key's grant has left, taking nothing: for answers other than VALID. */
    Decision peek(UUID keyId, Credits credits, Instant now) {
        Credits grant = credits.at(now);
        Held mine = held.get(keyId);
        if (mine == null) {
            return new Decision(false, grant, grant.remaining());
        }
        synchronized (mine) {
            return mine.grantedAt == micros(grant.grantedAt())
                    ? new Decision(false, grant, mine.unreserved + mine.credits)
                    : new Decision(false, grant, grant.remaining());
        }
    }

    /** A new grant: what this instance held of the old one goes back, and the block starts small. */
    private void moveTo(UUID keyId, Held mine, Credits grant) {
        long grantedAt = micros(grant.grantedAt());
        if (mine.grantedAt != grantedAt) {
            release(keyId, mine);
            mine.grantedAt = grantedAt;
            mine.unreserved = grant.remaining();
            mine.block = 1;
            mine.emptySince = null;
        }
    }

    private void reserve(UUID keyId, Held mine, Credits grant, long cost, Instant now) {
        long cap = Math.max(1, grant.granted() / MAX_BLOCK_SHARE);
        long wanted = Math.max(cost - mine.credits, Math.min(mine.block, cap));
        CreditReservations.Reservation reservation;
        try {
            reservation = reservations.reserve(keyId, mine.grantedAt, grant.granted(), wanted);
        } catch (DataAccessException e) {
            log.warn("Could not reserve credits: {}", e.toString());
            throw ProblemException.unavailable("/problems/verification-unavailable",
                    "Verification cannot confirm the key's credits right now; try again shortly.");
        }
        mine.credits += reservation.granted();
        mine.unreserved = reservation.unreserved();
        mine.block = Math.min(wanted * 2, cap);
        mine.emptySince = reservation.granted() < wanted ? now : null;
    }

    /** Every quarter second: credits held idle go back. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(() -> tidy(clock.instant()), Duration.ofMillis(250));
    }

    void tidy(Instant now) {
        Instant idleSince = now.minus(IDLE);
        held.forEach((keyId, mine) -> {
            synchronized (mine) {
                if (mine.lastUse.isBefore(idleSince)) {
                    release(keyId, mine);
                    if (mine.credits == 0) {
                        held.remove(keyId, mine);
                    }
                }
            }
        });
    }

    /** Should PostgreSQL be out of reach, what was held is forfeited: the grant then gives less, never more. */
    private void release(UUID keyId, Held mine) {
        if (mine.credits > 0) {
            try {
                reservations.release(keyId, mine.grantedAt, mine.credits);
            } catch (DataAccessException e) {
                log.debug("Could not give back unused credits: {}", e.toString());
            }
            mine.credits = 0;
        }
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    /** What this instance holds of a key's current grant. */
    private static final class Held {
        long grantedAt = Long.MIN_VALUE;
        long credits;
        long unreserved;
        long block = 1;
        Instant lastUse = Instant.MIN;
        Instant emptySince;

        boolean mayAskAgain(Instant now) {
            return emptySince == null || !now.isBefore(emptySince.plus(EMPTY_RETRY));
        }
    }
}
