package dev.apikeys.query.verify;

import dev.apikeys.runtime.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * What this query-side instance holds of keys' pools of one kind (rate-limit windows or credit
 * grants), so that it never answers VALID from more than the instances reserved between them in
 * PostgreSQL ({@link Reservations}). It reserves a block at a time, the block doubling while the
 * key keeps using it up, up to an eighth of the pool so that one instance cannot hold a busy key
 * alone. A crash forfeits at most what it held unused; what it holds idle for a second it gives
 * back, as it does when the pool's size changes; a new window or grant forfeits the old one's.
 */
final class Allowance {

    private static final Logger log = LoggerFactory.getLogger(Allowance.class);
    private static final Duration IDLE = Duration.ofSeconds(1);
    /** After the pool was found empty, how long before asking again (another instance may give some back). */
    private static final Duration EMPTY_RETRY = Duration.ofSeconds(1);
    private static final int MAX_BLOCK_SHARE = 8;

    private final Map<UUID, Held> held = new ConcurrentHashMap<>();
    private final Reservations reservations;
    private final Reservations.Pool pool;
    private final String unavailable;

    /** @param unavailable the 503's detail when PostgreSQL cannot be asked */
    Allowance(Reservations reservations, Reservations.Pool pool, String unavailable) {
        this.reservations = reservations;
        this.pool = pool;
        this.unavailable = unavailable;
    }

    /**
     * @param remaining what the pool has left: unreserved, and held here unused
     */
    record Taken(boolean admitted, long remaining) {
    }

    /**
     * Takes {@code cost} of the key's pool at {@code epoch}, reserving more first when this
     * instance holds too little.
     *
     * @param size what the pool holds in all
     * @param left what it is known to have left, before this instance reserved any of it
     * @throws ProblemException 503 when PostgreSQL cannot be asked
     */
    Taken take(UUID keyId, long epoch, long size, long left, long cost, Instant now) {
        Held mine = held.computeIfAbsent(keyId, id -> new Held());
        synchronized (mine) {
            if (held.get(keyId) != mine) {
                // Forgotten by tidy() meanwhile: what it reserves would be lost.
                return take(keyId, epoch, size, left, cost, now);
            }
            moveTo(keyId, mine, epoch, size, left);
            if (mine.held < cost && mine.mayAskAgain(now)) {
                reserve(keyId, mine, cost, now);
            }
            boolean admitted = mine.held >= cost;
            if (admitted) {
                mine.held -= cost;
                mine.lastUse = now;
            }
            return new Taken(admitted, mine.unreserved + mine.held);
        }
    }

    /** Puts back what {@link #take} took for a verification that then failed a later check. */
    void undo(UUID keyId, long epoch, long cost) {
        Held mine = held.get(keyId);
        if (mine != null) {
            synchronized (mine) {
                if (mine.epoch == epoch) {
                    mine.held += cost;
                }
            }
        }
    }

    /** What the key's pool at {@code epoch} has left, {@code left} when this instance took none of it. */
    long remaining(UUID keyId, long epoch, long left) {
        Held mine = held.get(keyId);
        if (mine == null) {
            return left;
        }
        synchronized (mine) {
            return mine.epoch == epoch ? mine.unreserved + mine.held : left;
        }
    }

    /** What was held idle goes back, and its key is forgotten. */
    void tidy(Instant now) {
        Instant idleSince = now.minus(IDLE);
        held.forEach((keyId, mine) -> {
            synchronized (mine) {
                if (mine.lastUse.isBefore(idleSince)) {
                    release(keyId, mine);
                    held.remove(keyId, mine);
                }
            }
        });
    }

    private void moveTo(UUID keyId, Held mine, long epoch, long size, long left) {
        if (mine.epoch != epoch) {
            mine.epoch = epoch;
            mine.held = 0;
            mine.unreserved = left;
            mine.block = 1;
            mine.emptySince = null;
        } else if (mine.size != size) {
            // Reserved under the old size: the owner changed the limit.
            release(keyId, mine);
            mine.emptySince = null;
        }
        mine.size = size;
    }

    private void reserve(UUID keyId, Held mine, long cost, Instant now) {
        long cap = Math.max(1, mine.size / MAX_BLOCK_SHARE);
        long wanted = Math.max(cost - mine.held, Math.min(mine.block, cap));
        Reservations.Reservation reservation;
        try {
            reservation = reservations.reserve(pool, keyId, mine.epoch, mine.size, wanted);
        } catch (DataAccessException e) {
            log.warn("Could not reserve from {}: {}", pool, e.toString());
            throw ProblemException.unavailable("/problems/verification-unavailable", unavailable);
        }
        mine.held += reservation.granted();
        mine.unreserved = reservation.unreserved();
        mine.block = Math.min(wanted * 2, cap);
        mine.emptySince = reservation.granted() < wanted ? now : null;
    }

    /** Should PostgreSQL be out of reach, what was held is forfeited: the pool then gives less, never more. */
    private void release(UUID keyId, Held mine) {
        if (mine.held > 0) {
            try {
                reservations.release(pool, keyId, mine.epoch, mine.held);
            } catch (DataAccessException e) {
                log.debug("Could not give back to {}: {}", pool, e.toString());
            }
            mine.held = 0;
        }
    }

    /** What this instance holds of a key's current pool. */
    private static final class Held {
        long epoch = Long.MIN_VALUE;
        long size;
        long held;
        long unreserved;
        long block = 1;
        Instant lastUse = Instant.MIN;
        Instant emptySince;

        boolean mayAskAgain(Instant now) {
            return emptySince == null || !now.isBefore(emptySince.plus(EMPTY_RETRY));
        }
    }
}
