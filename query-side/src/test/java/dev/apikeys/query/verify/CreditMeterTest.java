package dev.apikeys.query.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.apikeys.events.Credits;
import dev.apikeys.events.Refill;
import dev.apikeys.query.ReadModelDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Credits on a real PostgreSQL, each {@link CreditMeter} standing for one query-side instance (its
 * memory), all sharing the pool table as the instances do.
 */
class CreditMeterTest {

    private static final Instant NOW = Instant.parse("2030-06-01T12:00:30Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static EmbeddedPostgres postgres;
    private static Reservations reservations;

    @BeforeAll
    static void readModel() throws IOException {
        postgres = ReadModelDatabase.start();
        reservations = new Reservations(new JdbcTemplate(postgres.getPostgresDatabase()));
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Test
    void throughOneInstanceExactlyTheCreditsGivenAreConsumed() {
        CreditMeter instance = new CreditMeter(reservations, CLOCK);
        UUID key = UUID.randomUUID();
        Credits credits = Credits.granted(100, null, NOW.minusSeconds(60));

        assertThat(taken(instance, key, credits, 1, 150)).isEqualTo(100);
        CreditMeter.Decision refused = instance.take(key, credits, 1, NOW);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.remaining()).isZero();
    }

    @Test
    void aCostIsTakenWholeOrNotAtAllAndACostOfZeroAlwaysPasses() {
        CreditMeter instance = new CreditMeter(reservations, CLOCK);
        UUID key = UUID.randomUUID();
        Credits credits = Credits.granted(10, null, NOW.minusSeconds(60));

        assertThat(List.of(instance.take(key, credits, 4, NOW), instance.take(key, credits, 4, NOW),
                instance.take(key, credits, 4, NOW), instance.take(key, credits, 2, NOW),
                instance.take(key, credits, 0, NOW)))
                .extracting(CreditMeter.Decision::admitted, CreditMeter.Decision::remaining)
                .containsExactly(tuple(true, 6L),
                        tuple(true, 2L), tuple(false, 2L),
                        tuple(true, 0L), tuple(true, 0L));
    }

    @Test
    void instancesConsumingConcurrentlyNeverPassTheGrantBetweenThem() throws Exception {
        UUID key = UUID.randomUUID();
        Credits credits = Credits.granted(800, null, NOW.minusSeconds(60));
        List<CreditMeter> instances = List.of(new CreditMeter(reservations, CLOCK),
                new CreditMeter(reservations, CLOCK), new CreditMeter(reservations, CLOCK));
        ExecutorService callers = Executors.newFixedThreadPool(12);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                CreditMeter instance = instances.get(i % instances.size());
                tasks.add(() -> taken(instance, key, credits, 1, 300));
            }
            int total = 0;
            for (Future<Integer> taken : callers.invokeAll(tasks)) {
                total += taken.get();
            }
            assertThat(total).isLessThanOrEqualTo(800)
                    .as("all but what each instance holds unused, at most a block of 800 / 8")
                    .isGreaterThanOrEqualTo(800 - 3 * (800 / 8));
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aCrashedInstanceForfeitsWhatItHeldAndAnIdleOneGivesItBack() {
        UUID key = UUID.randomUUID();
        Credits credits = Credits.granted(80, null, NOW.minusSeconds(60));
        // Blocks of 1, 2, 4 and 8: the eighth credit took the last block, of which it used 1.
        assertThat(taken(new CreditMeter(reservations, CLOCK), key, credits, 1, 8)).isEqualTo(8);
        assertThat(taken(new CreditMeter(reservations, CLOCK), key, credits, 1, 200)).as("after a crash")
                .isEqualTo(80 - 15);

        UUID other = UUID.randomUUID();
        CreditMeter idle = new CreditMeter(reservations, CLOCK);
        taken(idle, other, credits, 1, 8);
        idle.tidy(NOW.plusSeconds(2));
        assertThat(taken(new CreditMeter(reservations, CLOCK), other, credits, 1, 200)).isEqualTo(80 - 8);
    }

    @Test
    void aNewGrantOrARefillStartsAfreshAndWhatWasHeldOfTheOldOneIsGivenUp() {
        CreditMeter instance = new CreditMeter(reservations, CLOCK);
        UUID key = UUID.randomUUID();
        Credits first = Credits.granted(5, new Refill(20, Refill.Interval.DAILY), NOW.minusSeconds(60));
        assertThat(taken(instance, key, first, 1, 10)).isEqualTo(5);

        Credits regranted = Credits.granted(3, first.refill(), NOW.minusSeconds(10));
        assertThat(taken(instance, key, regranted, 1, 10)).isEqualTo(3);

        Instant tomorrow = Instant.parse("2030-06-02T08:00:00Z");
        assertThat(taken(instance, key, regranted, 1, 50, tomorrow)).as("refilled at midnight").isEqualTo(20);
        assertThat(instance.peek(key, regranted, tomorrow).grant().grantedAt())
                .isEqualTo(Instant.parse("2030-06-02T00:00:00Z"));
    }

    private static int taken(CreditMeter instance, UUID key, Credits credits, long cost, int attempts) {
        return taken(instance, key, credits, cost, attempts, NOW);
    }

    private static int taken(CreditMeter instance, UUID key, Credits credits, long cost, int attempts, Instant at) {
        int taken = 0;
        for (int i = 0; i < attempts; i++) {
            if (instance.take(key, credits, cost, at).admitted()) {
                taken++;
            }
        }
        return taken;
    }
}
