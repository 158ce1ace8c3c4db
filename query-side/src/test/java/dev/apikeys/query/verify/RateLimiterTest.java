package dev.apikeys.query.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.apikeys.events.RateLimit;
import dev.apikeys.query.ReadModelDatabase;
import dev.apikeys.runtime.problem.ProblemException;
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
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Rate limits on a real PostgreSQL, each {@link RateLimiter} standing for one query-side instance
 * (its memory), all sharing the reservations table as the instances do.
 */
class RateLimiterTest {

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
    void throughOneInstanceExactlyTheLimitIsAdmittedInAWindowAndAgainInTheNext() {
        RateLimiter instance = new RateLimiter(reservations, CLOCK);
        UUID key = UUID.randomUUID();
        RateLimit limit = new RateLimit(100, 60);

        assertThat(admitted(instance, key, limit, NOW, 150)).isEqualTo(100);
        RateLimiter.Decision refused = instance.admit(key, limit, NOW);
        assertThat(refused).isEqualTo(new RateLimiter.Decision(false, 100, 0, Instant.parse("2030-06-01T12:01:00Z")));

        assertThat(admitted(instance, key, limit, NOW.plusSeconds(30), 150)).as("the next window").isEqualTo(100);
    }

    @Test
    void theAnswerCountsDownWhatIsLeft() {
        RateLimiter instance = new RateLimiter(reservations, CLOCK);
        UUID key = UUID.randomUUID();
        RateLimit limit = new RateLimit(3, 10);

        assertThat(List.of(instance.admit(key, limit, NOW), instance.admit(key, limit, NOW),
                instance.admit(key, limit, NOW), instance.admit(key, limit, NOW)))
                .extracting(RateLimiter.Decision::admitted, RateLimiter.Decision::remaining)
                .containsExactly(tuple(true, 2L),
                        tuple(true, 1L), tuple(true, 0L),
                        tuple(false, 0L));
        assertThat(instance.peek(key, limit, NOW).resetAt()).isEqualTo(Instant.parse("2030-06-01T12:00:40Z"));
    }

    @Test
    void instancesAdmittingConcurrentlyNeverExceedTheLimitBetweenThem() throws Exception {
        UUID key = UUID.randomUUID();
        RateLimit limit = new RateLimit(500, 3600);
        List<RateLimiter> instances = List.of(new RateLimiter(reservations, CLOCK), new RateLimiter(reservations, CLOCK),
                new RateLimiter(reservations, CLOCK));
        ExecutorService callers = Executors.newFixedThreadPool(12);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                RateLimiter instance = instances.get(i % instances.size());
                tasks.add(() -> admitted(instance, key, limit, NOW, 200));
            }
            int total = 0;
            for (Future<Integer> admitted : callers.invokeAll(tasks)) {
                total += admitted.get();
            }
            assertThat(total).isLessThanOrEqualTo(500)
                    .as("all but what each instance holds unused, at most a block of 500 / 8")
                    .isGreaterThanOrEqualTo(500 - 3 * (500 / 8));
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aCrashedInstanceForfeitsWhatItHeldAndNothingMore() {
        UUID key = UUID.randomUUID();
        RateLimit limit = new RateLimit(80, 3600);
        RateLimiter crashed = new RateLimiter(reservations, CLOCK);
        // Blocks of 1, 2, 4 and 8: the eighth answer took the last block, of which it used 1.
        int admittedBeforeTheCrash = admitted(crashed, key, limit, NOW, 8);

        int admittedAfter = admitted(new RateLimiter(reservations, CLOCK), key, limit, NOW, 200);

        assertThat(admittedBeforeTheCrash).isEqualTo(8);
        assertThat(admittedBeforeTheCrash + admittedAfter).isEqualTo(80 - 7);
    }

    @Test
    void anIdleInstanceGivesItsUnusedCapacityBack() {
        UUID key = UUID.randomUUID();
        RateLimit limit = new RateLimit(80, 3600);
        RateLimiter idle = new RateLimiter(reservations, CLOCK);
        admitted(idle, key, limit, NOW, 8);
        idle.tidy(NOW.plusMillis(500));
        RateLimiter other = new RateLimiter(reservations, CLOCK);
        assertThat(admitted(other, key, limit, NOW, 200)).as("not idle long enough yet").isEqualTo(80 - 15);

        idle.tidy(NOW.plusSeconds(2));

        assertThat(admitted(other, key, limit, NOW.plusSeconds(2), 200)).as("the 7 it held").isEqualTo(7);
    }

    @Test
    void aLimitLoweredWithinTheWindowAdmitsNoMoreOnceItIsReached() {
        RateLimiter instance = new RateLimiter(reservations, CLOCK);
        UUID key = UUID.randomUUID();
        assertThat(admitted(instance, key, new RateLimit(50, 60), NOW, 30)).isEqualTo(30);

        assertThat(admitted(new RateLimiter(reservations, CLOCK), key, new RateLimit(20, 60), NOW, 10)).isZero();
        assertThat(admitted(new RateLimiter(reservations, CLOCK), key, new RateLimit(40, 60), NOW, 100))
                .as("up to the raised limit, less what the first instance holds").isLessThanOrEqualTo(10);
    }

    @Test
    void aLimitLoweredWithinTheWindowIsNotPassedWithCapacityHeldUnderTheOldOne() {
        RateLimiter instance = new RateLimiter(reservations, CLOCK);
        UUID key = UUID.randomUUID();
        // Blocks of 1 and 2: the second answer leaves one held unused.
        assertThat(admitted(instance, key, new RateLimit(100, 60), NOW, 2)).isEqualTo(2);

        assertThat(instance.admit(key, new RateLimit(2, 60), NOW).admitted()).isFalse();
    }

    @Test
    void throughOneInstanceARaisedLimitIsReachedExactly() {
        RateLimiter instance = new RateLimiter(reservations, CLOCK);
        UUID key = UUID.randomUUID();
        assertThat(admitted(instance, key, new RateLimit(16, 60), NOW, 2)).isEqualTo(2);

        assertThat(admitted(instance, key, new RateLimit(20, 60), NOW, 40)).isEqualTo(18);
    }

    @Test
    void withoutPostgresARateLimitedKeyIsNotJudged() {
        RateLimiter cutOff = new RateLimiter(new Reservations(new JdbcTemplate(
                new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/unreachable"))), CLOCK);

        assertThatThrownBy(() -> cutOff.admit(UUID.randomUUID(), new RateLimit(10, 60), NOW))
                .isInstanceOfSatisfying(ProblemException.class, unavailable -> assertThat(unavailable.getStatusCode()
                        .value()).isEqualTo(503));
    }

    private static int admitted(RateLimiter instance, UUID key, RateLimit limit, Instant at, int attempts) {
        int admitted = 0;
        for (int i = 0; i < attempts; i++) {
            if (instance.admit(key, limit, at).admitted()) {
                admitted++;
            }
        }
        return admitted;
    }
}
