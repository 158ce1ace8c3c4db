package dev.apikeys.query.verify;

import dev.apikeys.events.Credits;
import dev.apikeys.runtime.problem.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Credits that are never consumed past what a grant gave, across instances: this instance answers
 * VALID only from credits of the key's current grant it reserved first (see {@link Allowance}). A
 * refill or a PATCH that grants credits is a new grant, named by when it began. Keys with
 * unlimited credits never come here.
 */
@Component
class CreditMeter implements SchedulingConfigurer {

    private final Allowance grants;
    private final Clock clock;

    CreditMeter(Reservations reservations, Clock clock) {
        this.grants = new Allowance(reservations, Reservations.Pool.CREDIT_GRANTS,
                "Verification cannot confirm the key's credits right now; try again shortly.");
        this.clock = clock;
    }

    /**
     * @param grant the credits as they stand now ({@link Credits#at})
     * @param remaining what the grant has left: unreserved, and held here unused
     */
    record Decision(boolean admitted, Credits grant, long remaining) {
    }

    /**
     * Takes {@code cost} credits of the key's current grant.
     *
     * @throws ProblemException 503 when PostgreSQL cannot be asked for credits
     */
    Decision take(UUID keyId, Credits credits, long cost, Instant now) {
        Credits grant = credits.at(now);
        Allowance.Taken taken = grants.take(keyId, micros(grant.grantedAt()), grant.granted(), grant.remaining(),
                cost, now);
        return new Decision(taken.admitted(), grant, taken.remaining());
    }

    /** What the key's grant has left, taking nothing: for answers other than VALID. */
    Decision peek(UUID keyId, Credits credits, Instant now) {
        Credits grant = credits.at(now);
        return new Decision(false, grant, grants.remaining(keyId, micros(grant.grantedAt()), grant.remaining()));
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    /** Every quarter second, credits held idle go back. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(() -> tidy(clock.instant()), Duration.ofMillis(250));
    }

    void tidy(Instant now) {
        grants.tidy(now);
    }
}
