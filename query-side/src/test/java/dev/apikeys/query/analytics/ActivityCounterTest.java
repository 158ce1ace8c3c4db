package dev.apikeys.query.analytics;

import static dev.apikeys.query.processing.BatchProjection.LIVE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.query.ReadModelDatabase;
import dev.apikeys.query.processing.SequencedEvent;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The analytics counts on a real PostgreSQL with the read_model migrations applied. */
class ActivityCounterTest {

    private static final LocalDate DAY_1 = LocalDate.parse("2025-03-01");
    private static final LocalDate DAY_2 = LocalDate.parse("2025-03-02");
    private static final DayRange BOTH_DAYS = DayRange.of("2025-03-01", "2025-03-02", DAY_2);
    private static final Instant LAST_MOMENT_OF_DAY_1 = Instant.parse("2025-03-01T23:59:59.999Z");
    private static final Instant FIRST_MOMENT_OF_DAY_2 = Instant.parse("2025-03-02T00:00:00Z");

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;
    private static KeyActivityTable table;
    private static ActivityCounter counter;

    private String alice;
    private UUID key;

    @BeforeAll
    static void readModel() throws IOException {
        postgres = ReadModelDatabase.start();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
        table = new KeyActivityTable(jdbc);
        counter = new ActivityCounter(table);
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void newOwner() {
        alice = "alice-" + UUID.randomUUID();
        key = UUID.randomUUID();
    }

    @Test
    void aBatchCountsEachActivityPerOwnerAndUtcDayOfTheEventsOwnTime() {
        UUID newKey = UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        counter.apply(List.of(
                new SequencedEvent(created(key, alice, LAST_MOMENT_OF_DAY_1), 0),
                new SequencedEvent(new ApiKeyDisabled(key, alice, LAST_MOMENT_OF_DAY_1), 1),
                new SequencedEvent(new ApiKeyEnabled(key, alice, FIRST_MOMENT_OF_DAY_2), 2),
                new SequencedEvent(new ApiKeyRotated(key, alice, newKey, FIRST_MOMENT_OF_DAY_2, FIRST_MOMENT_OF_DAY_2), 3),
                new SequencedEvent(created(newKey, alice, FIRST_MOMENT_OF_DAY_2), 0),
                new SequencedEvent(new ApiKeyUsed(key, alice, FIRST_MOMENT_OF_DAY_2), 0),
                new SequencedEvent(new ApiKeyUsed(key, alice, FIRST_MOMENT_OF_DAY_2.plusSeconds(5)), 1),
                new SequencedEvent(new ApiKeyDeleted(key, alice, FIRST_MOMENT_OF_DAY_2), 4),
                new SequencedEvent(created(UUID.randomUUID(), bob, LAST_MOMENT_OF_DAY_1), 0)), LIVE);

        assertThat(table.daysOf(alice, BOTH_DAYS)).containsExactly(
                new DailyActivity(DAY_1, 1, 1, 0, 0, 0, 0),
                new DailyActivity(DAY_2, 1, 0, 1, 1, 1, 2));
        assertThat(table.daysOf(bob, BOTH_DAYS)).containsExactly(new DailyActivity(DAY_1, 1, 0, 0, 0, 0, 0));
    }

    @Test
    void laterBatchesAddToTheDaysCounts() {
        counter.apply(List.of(new SequencedEvent(created(key, alice, LAST_MOMENT_OF_DAY_1), 0)), LIVE);
        counter.apply(List.of(new SequencedEvent(new ApiKeyDisabled(key, alice, LAST_MOMENT_OF_DAY_1), 1)),
                LIVE);

        assertThat(table.daysOf(alice, BOTH_DAYS)).containsExactly(new DailyActivity(DAY_1, 1, 1, 0, 0, 0, 0));
    }

    /**
     * A batch delivered again (rolled back after its writes were sent, or applied by the processor
     * after a rebuild covered it) counts nothing twice, while the events after it still count.
     */
    @Test
    void anEventDeliveredAgainIsCountedOnce() {
        List<SequencedEvent> history = List.of(
                new SequencedEvent(created(key, alice, LAST_MOMENT_OF_DAY_1), 0),
                new SequencedEvent(new ApiKeyUsed(key, alice, LAST_MOMENT_OF_DAY_1), 0),
                new SequencedEvent(new ApiKeyDisabled(key, alice, LAST_MOMENT_OF_DAY_1), 1));
        counter.apply(history, LIVE);
        counter.apply(history, LIVE);
        counter.apply(List.of(history.get(2), new SequencedEvent(new ApiKeyEnabled(key, alice, LAST_MOMENT_OF_DAY_1), 2),
                new SequencedEvent(new ApiKeyUsed(key, alice, LAST_MOMENT_OF_DAY_1), 1)), LIVE);

        assertThat(table.daysOf(alice, BOTH_DAYS)).containsExactly(new DailyActivity(DAY_1, 1, 1, 1, 0, 0, 2));
    }

    /** Usage is numbered in a stream of its own: usage fact 0 is not the creation's number 0. */
    @Test
    void usageAndLifecycleAreCountedUpToSeparately() {
        counter.apply(List.of(new SequencedEvent(created(key, alice, LAST_MOMENT_OF_DAY_1), 0),
                new SequencedEvent(new ApiKeyDisabled(key, alice, LAST_MOMENT_OF_DAY_1), 1)), LIVE);
        counter.apply(List.of(new SequencedEvent(new ApiKeyUsed(key, alice, LAST_MOMENT_OF_DAY_1), 0)),
                LIVE);

        assertThat(table.daysOf(alice, BOTH_DAYS)).containsExactly(new DailyActivity(DAY_1, 1, 1, 0, 0, 0, 1));
    }

    @Test
    void theRebuildTablesAreCountedApartFromTheLiveOnes() {
        jdbc.execute("create table if not exists read_model.key_activity_daily_rebuild"
                + " (like read_model.key_activity_daily including all)");
        jdbc.execute("create table if not exists read_model.key_activity_position_rebuild"
                + " (like read_model.key_activity_position including all)");
        counter.apply(List.of(new SequencedEvent(created(key, alice, LAST_MOMENT_OF_DAY_1), 0)), LIVE);

        counter.apply(List.of(new SequencedEvent(created(key, alice, LAST_MOMENT_OF_DAY_1), 0)), "_rebuild");

        assertThat(jdbc.queryForObject("select created from read_model.key_activity_daily_rebuild where user_id = ?",
                Long.class, alice)).isEqualTo(1);
        assertThat(table.daysOf(alice, BOTH_DAYS)).containsExactly(new DailyActivity(DAY_1, 1, 0, 0, 0, 0, 0));
    }

    @Test
    void aResetEmptiesTheCountsAndWhatTheyCoveredForTheReplayToRebuild() {
        counter.apply(List.of(new SequencedEvent(created(key, alice, LAST_MOMENT_OF_DAY_1), 0)), LIVE);

        counter.onReset();
        counter.apply(List.of(new SequencedEvent(created(key, alice, LAST_MOMENT_OF_DAY_1), 0)), LIVE);

        assertThat(table.daysOf(alice, BOTH_DAYS)).containsExactly(new DailyActivity(DAY_1, 1, 0, 0, 0, 0, 0));
    }

    private static ApiKeyCreated created(UUID keyId, String userId, Instant at) {
        return new ApiKeyCreated(keyId, userId, null, "ci", "sk_abcde", "hash", List.of(), null, at, null);
    }
}
