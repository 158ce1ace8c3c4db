package dev.apikeys.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.IntStream;

/**
 * Kafka killed for 30 s while keys are created and toggled at a steady rate, then restarted on
 * its port and log. The promise: Kafka being down never fails or slows a write, and publication
 * catches up, in order per key, when Kafka is back. So every write must answer 2xx, the writes'
 * p99 while Kafka is down may be at most twice that before, and a consumer reading the audit
 * topic from the beginning must see every event of the drill's keys, in the store's order per key,
 * within 10 s of the broker being ready (for what was stored by then) and of the load's end (for
 * the rest).
 */
final class KafkaOutageDrill implements FaultDrill {

    static final Figure P99_BEFORE = new Figure("kafka_outage_write_p99_before_ms", "%.2f", "baseline", null);
    static final Figure P99_DURING = new Figure("kafka_outage_write_p99_during_ms", "%.2f", "see ratio", null);
    static final Figure P99_DURING_VS_BEFORE =
            new Figure("kafka_outage_write_p99_during_vs_before", "%.2f", "<= 2", value -> value <= 2);
    static final Figure P99_AFTER = new Figure("kafka_outage_write_p99_after_ms", "%.2f", "-", null);
    static final Figure FAILED_WRITES = new Figure("kafka_outage_failed_writes", "%.0f", "= 0", value -> value == 0);
    static final Figure EVENTS = new Figure("kafka_outage_events", "%.0f", "-", null);
    static final Figure AUDIT_COMPLETE_AFTER =
            new Figure("kafka_outage_audit_complete_after_s", "%.1f", "<= 10", value -> value <= 10);
    static final Figure AUDIT_COMPLETE_AFTER_LOAD =
            new Figure("kafka_outage_audit_complete_after_load_s", "%.1f", "<= 10", value -> value <= 10);
    static final Figure MISSING_CE_IDS = new Figure("kafka_outage_missing_ce_ids", "%.0f", "= 0", value -> value == 0);
    static final Figure KEYS_OUT_OF_ORDER =
            new Figure("kafka_outage_keys_out_of_order", "%.0f", "= 0", value -> value == 0);
    static final Figure DUPLICATE_RECORDS = new Figure("kafka_outage_duplicate_records", "%.0f", "-", null);

    /** A moderate rate: far below what the service can take, so that a slowdown shows in the p99 alone. */
    private static final double WRITES_PER_SECOND = 40;
    private static final int CONNECTIONS = 4;
    /**
     * Unmeasured, back to back: a service that has just started answers writes several times
     * slower than a warm one (the JIT, the pools), and a cold baseline would loosen the criterion.
     */
    private static final Duration WARM_UP = Duration.ofSeconds(12);
    private static final Duration WARM_UP_CATCH_UP = Duration.ofSeconds(60);
    private static final Duration KAFKA_UP = Duration.ofSeconds(20);
    private static final Duration KAFKA_DOWN = Duration.ofSeconds(30);
    /** The broker's restart (several seconds on a busy machine) and then about 20 s of writes. */
    private static final Duration KAFKA_BACK = Duration.ofSeconds(35);
    /** Longer than the criterion, so that a miss is measured rather than cut off. */
    private static final Duration AUDIT_WAIT = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "kafka-outage";
    }

    @Override
    public List<Figure> figures() {
        return List.of(P99_BEFORE, P99_DURING, P99_DURING_VS_BEFORE, P99_AFTER, FAILED_WRITES, EVENTS,
                AUDIT_COMPLETE_AFTER, AUDIT_COMPLETE_AFTER_LOAD, MISSING_CE_IDS, KEYS_OUT_OF_ORDER, DUPLICATE_RECORDS);
    }

    @Override
    public void run(ServiceUnderTest underTest, Progress progress, Report report) throws Exception {
        BenchDatabase database = underTest.database();
        KafkaBrokerProcess broker = underTest.broker();
        long headBefore = database.head();
        List<CreateAndToggleWorkload> workloads = IntStream.range(0, CONNECTIONS)
                .mapToObj(connection -> new CreateAndToggleWorkload("outage", connection, underTest.endpoint(),
                        underTest.tokens(), key -> { }))
                .toList();
        LoadResult warmUp = summarized(progress, LoadRun.closedLoop("writes, warm-up", underTest.endpoint(),
                CONNECTIONS, WARM_UP, workloads::get).await(progress));
        // The baseline must not pay for the processors' catch-up with the warm-up's events.
        underTest.admin().awaitEveryProcessorCaughtUp(WARM_UP_CATCH_UP, progress);
        progress.line("creates and toggles at %.0f/s over %d connections", WRITES_PER_SECOND, CONNECTIONS);
        LoadResult before = writeFor(underTest, workloads, "writes, Kafka up", KAFKA_UP, progress);

        progress.line("killing the Kafka broker (SIGKILL)");
        broker.kill();
        LoadResult during = writeFor(underTest, workloads, "writes, Kafka down", KAFKA_DOWN, progress);

        LoadRun back = startWrites(underTest, workloads, "writes, Kafka back", KAFKA_BACK);
        progress.line("restarting the Kafka broker on %s with the same log directory", broker.bootstrapServers());
        try {
            broker.start();
        } catch (IOException e) {
            // The writes end before the drill does, so that they cannot load the drills after it.
            back.await(progress);
            throw e;
        }
        long ready = System.nanoTime();
        long headAtReady = database.head();
        progress.line("  Kafka broker ready again");
        try (AuditTopicReader reader = AuditTopicReader.fromBeginning(broker.bootstrapServers())) {
            LoadResult after = summarized(progress, back.await(progress));
            long loadEnded = System.nanoTime();

            report.record(P99_BEFORE, before.percentileMillis(99));
            report.record(P99_DURING, during.percentileMillis(99));
            report.record(P99_DURING_VS_BEFORE, during.percentileMillis(99) / before.percentileMillis(99),
                    unmetComparison(before, during));
            report.record(P99_AFTER, after.percentileMillis(99));
            report.record(FAILED_WRITES, warmUp.failed() + before.failed() + during.failed() + after.failed());

            List<StoredEvent> events = database.eventsAfter(headBefore);
            report.record(EVENTS, events.size());
            List<String> storedBeforeReady = events.stream().filter(event -> event.globalIndex() <= headAtReady)
                    .map(StoredEvent::eventId).toList();
            List<String> stored = events.stream().map(StoredEvent::eventId).toList();
            progress.line("  %,d events of the drill in the store, %,d of them before Kafka was back", stored.size(),
                    storedBeforeReady.size());

            reader.awaitAll(storedBeforeReady, AUDIT_WAIT);
            recordSince(report, AUDIT_COMPLETE_AFTER, reader.lastFirstSeenAt(storedBeforeReady), ready,
                    "the events stored before Kafka was back");
            reader.awaitAll(stored, AUDIT_WAIT);
            recordSince(report, AUDIT_COMPLETE_AFTER_LOAD, reader.lastFirstSeenAt(stored), loadEnded,
                    "the events stored by the end of the load");
            report.record(MISSING_CE_IDS, reader.missing(stored));
            report.record(KEYS_OUT_OF_ORDER, reader.keysOutOfOrder(eventIdsByKey(events)).size());
            report.record(DUPLICATE_RECORDS, reader.duplicates());
        }
    }

    private static LoadRun startWrites(ServiceUnderTest underTest, List<CreateAndToggleWorkload> workloads,
            String label, Duration duration) {
        return LoadRun.fixedRate(label, underTest.endpoint(), CONNECTIONS, WRITES_PER_SECOND, duration,
                workloads::get);
    }

    private static LoadResult writeFor(ServiceUnderTest underTest, List<CreateAndToggleWorkload> workloads,
            String label, Duration duration, Progress progress) throws InterruptedException {
        return summarized(progress, startWrites(underTest, workloads, label, duration).await(progress));
    }

    private static LoadResult summarized(Progress progress, LoadResult result) {
        progress.line("  %s", result.summary());
        return result;
    }

    /**
     * Why the two p99s cannot be compared, or null: a window that failed writes or could not send
     * at the rate (the machine too busy, or the service behind) measured something else.
     */
    private static String unmetComparison(LoadResult before, LoadResult during) {
        List<String> reasons = new ArrayList<>();
        if (before.unmetCondition() != null) {
            reasons.add("Kafka up: " + before.unmetCondition());
        }
        if (during.unmetCondition() != null) {
            reasons.add("Kafka down: " + during.unmetCondition());
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    /** Seconds from {@code since} until the last of the events was read; failed if one never was. */
    private static void recordSince(Report report, Figure figure, OptionalLong lastSeenAt, long since, String what) {
        if (lastSeenAt.isEmpty()) {
            report.phaseFailed(figure.key(), "some of " + what + " were not on " + AuditTopicReader.TOPIC
                    + " after " + AUDIT_WAIT.toSeconds() + " s");
        } else {
            report.record(figure, Math.max(0, lastSeenAt.getAsLong() - since) / 1e9);
        }
    }

    /** Each key's event ids in the store's order, which is the order the audit topic must have them in. */
    private static Map<String, List<String>> eventIdsByKey(List<StoredEvent> events) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        events.forEach(event -> byKey.computeIfAbsent(event.keyId(), key -> new ArrayList<>())
                .add(event.eventId()));
        return byKey;
    }
}
