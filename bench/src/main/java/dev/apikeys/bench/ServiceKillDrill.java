package dev.apikeys.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeys.events.ApiKeyCreated;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * The service killed with SIGKILL in the middle of a create load, then started again on the same
 * database, broker and port. What a crash must not cost: every create that answered 201 is in the
 * event store and in its owner's listing; once every processor is back at lag 0 the read model is
 * what the store's events make of each key; and every event in the store is on the audit topic
 * (at least once).
 */
final class ServiceKillDrill implements FaultDrill {

    static final Figure CREATES_ANSWERED = new Figure("kill9_creates_answered", "%.0f", "> 0", value -> value > 0);
    static final Figure CREATES_STORED = new Figure("kill9_creates_stored", "%.0f", "-", null);
    static final Figure EVENTS = new Figure("kill9_events", "%.0f", "-", null);
    static final Figure LOST_CREATES = new Figure("kill9_lost_creates", "%.0f", "= 0", value -> value == 0);
    static final Figure RESTART_HEALTHY = new Figure("kill9_restart_healthy_s", "%.1f", "-", null);
    static final Figure CATCH_UP = new Figure("kill9_catchup_s", "%.1f", "lag 0 within 60", value -> value <= 60);
    static final Figure READ_MODEL_MISMATCHES =
            new Figure("kill9_read_model_mismatches", "%.0f", "= 0", value -> value == 0);
    static final Figure MISSING_CE_IDS = new Figure("kill9_missing_ce_ids", "%.0f", "= 0", value -> value == 0);

    /** The processors whose lag must come back to 0. */
    private static final List<String> PROCESSORS =
            List.of(ServiceAdmin.AUDIT_PUBLISHER, ServiceAdmin.READ_MODEL, "apikey-analytics");
    /**
     * Back to back, so that every connection has a create in flight when the service dies, and the
     * processors are behind, mid-batch, as they are under load.
     */
    private static final int CONNECTIONS = 8;
    private static final Duration LOAD = Duration.ofSeconds(10);
    private static final Duration KILL_AFTER = Duration.ofSeconds(7);
    /** A segment claimed by the dead instance is released after its heartbeat expires (5 s) or its claim times out. */
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration AUDIT_WAIT = Duration.ofSeconds(30);
    /** How many mismatches to print, so that a failure shows what went wrong without a flood. */
    private static final int EXAMPLES = 5;

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public String name() {
        return "kill9";
    }

    @Override
    public List<Figure> figures() {
        return List.of(CREATES_ANSWERED, CREATES_STORED, EVENTS, LOST_CREATES, RESTART_HEALTHY, CATCH_UP,
                READ_MODEL_MISMATCHES, MISSING_CE_IDS);
    }

    @Override
    public void run(ServiceUnderTest underTest, Progress progress, Report report) throws Exception {
        BenchDatabase database = underTest.database();
        ServiceProcess service = underTest.service();
        long headBefore = database.head();
        Queue<IssuedKey> answered = new ConcurrentLinkedQueue<>();
        progress.line("creates from %d connections back to back; the service is killed after %d s", CONNECTIONS,
                KILL_AFTER.toSeconds());
        LoadRun creates = LoadRun.closedLoop("creates", underTest.endpoint(), CONNECTIONS, LOAD,
                connection -> new CreateKeysWorkload("kill9", connection, underTest.endpoint(), underTest.tokens(),
                        answered::add, read -> { }));
        Thread.sleep(KILL_AFTER.toMillis());
        long pid = service.pid();
        service.kill();
        progress.line("killed the service (pid %d) with SIGKILL; %,d creates had answered 201", pid, answered.size());
        progress.line("  %s (what failed was in flight at the kill or sent after it)", creates.await(progress).summary());
        report.record(CREATES_ANSWERED, answered.size());

        progress.line("starting the service again on the same database, broker and port");
        long restarting = System.nanoTime();
        service.start();
        underTest.awaitHealthy();
        long healthy = System.nanoTime();
        report.record(RESTART_HEALTHY, (healthy - restarting) / 1e9);
        progress.line("  healthy after %.1f s", (healthy - restarting) / 1e9);
        try {
            awaitProcessorsCaughtUp(underTest.admin(), progress);
            report.record(CATCH_UP, (System.nanoTime() - healthy) / 1e9);
        } catch (PhaseFailed e) {
            // The other checks still say what the crash cost, and whether the lag is real.
            progress.line("  %s", e.getMessage());
            report.phaseFailed(CATCH_UP.key(), e.getMessage());
        }

        List<StoredEvent> store = database.eventsAfter(-1);
        List<StoredEvent> drillEvents = store.stream().filter(event -> event.globalIndex() > headBefore).toList();
        report.record(EVENTS, drillEvents.size());
        report.record(CREATES_STORED, drillEvents.stream().filter(event -> event.is(ApiKeyCreated.class)).count());
        report.record(LOST_CREATES, lostCreates(underTest, answered, store, progress));
        report.record(READ_MODEL_MISMATCHES, readModelMismatches(database, store, progress));

        List<String> eventIds = store.stream().map(StoredEvent::eventId).toList();
        try (AuditTopicReader reader = AuditTopicReader.fromBeginning(underTest.broker().bootstrapServers())) {
            reader.awaitAll(eventIds, AUDIT_WAIT);
            long missing = reader.missing(eventIds);
            progress.line("  %s: %,d of the store's %,d events missing, %,d records repeated", AuditTopicReader.TOPIC,
                    missing, eventIds.size(), reader.duplicates());
            report.record(MISSING_CE_IDS, missing);
        }
    }

    private static void awaitProcessorsCaughtUp(ServiceAdmin admin, Progress progress) throws InterruptedException {
        Set<String> running = admin.projections().stream().map(ProcessorStatus::name).collect(Collectors.toSet());
        if (!running.containsAll(PROCESSORS)) {
            throw new PhaseFailed("/actuator/projections lists " + running + ", not every one of " + PROCESSORS);
        }
        admin.awaitEveryProcessorCaughtUp(CATCH_UP_TIMEOUT, progress);
    }

    /** Creates that answered 201 but whose key is missing from the store or from its owner's GET. */
    private long lostCreates(ServiceUnderTest underTest, Queue<IssuedKey> answered, List<StoredEvent> store,
            Progress progress) throws IOException {
        Set<String> storedKeys = store.stream().filter(StoredEvent::isLifecycle).map(StoredEvent::keyId)
                .collect(Collectors.toSet());
        Map<String, Set<String>> listedByUser = new HashMap<>();
        long lost = 0;
        for (IssuedKey key : answered) {
            Set<String> listed = listedByUser.get(key.userId());
            if (listed == null) {
                listed = listedKeyIds(underTest, key.userId());
                listedByUser.put(key.userId(), listed);
            }
            boolean stored = storedKeys.contains(key.keyId());
            if (!stored || !listed.contains(key.keyId())) {
                if (lost++ < EXAMPLES) {
                    progress.line("  lost: key %s of %s answered 201, %s the store, %s its owner's GET", key.keyId(),
                            key.userId(), stored ? "is in" : "is not in", listed.contains(key.keyId()) ? "in" : "not in");
                }
            }
        }
        progress.line("  %,d creates answered 201, %,d of their keys missing from the store or a GET (%d users)",
                answered.size(), lost, listedByUser.size());
        return lost;
    }

    private Set<String> listedKeyIds(ServiceUnderTest underTest, String userId) throws IOException {
        byte[] list = underTest.endpoint().get(CreateKeysWorkload.PATH, underTest.tokens().forUser(userId));
        try (HttpConnection connection = underTest.endpoint().connect()) {
            if (connection.exchange(list) != 200) {
                throw new PhaseFailed("GET of " + userId + "'s keys answered " + connection.status() + ": "
                        + connection.bodyText(0, 300));
            }
            Set<String> ids = new HashSet<>();
            for (JsonNode key : json.readTree(connection.bodyText())) {
                ids.add(key.get("id").asText());
            }
            return ids;
        }
    }

    /** Keys whose row in read_model.api_key is missing, surplus or not what their lifecycle events make it. */
    private static long readModelMismatches(BenchDatabase database, List<StoredEvent> store, Progress progress)
            throws SQLException {
        Map<String, KeyState> folded = KeyState.fold(store);
        Map<String, KeyState> readModel = database.readModelKeys();
        Set<String> keys = new HashSet<>(folded.keySet());
        keys.addAll(readModel.keySet());
        long mismatches = 0;
        for (String key : keys) {
            if (!Objects.equals(folded.get(key), readModel.get(key)) && mismatches++ < EXAMPLES) {
                progress.line("  read model mismatch: key %s is %s in the store, %s in read_model.api_key", key,
                        folded.get(key), readModel.get(key));
            }
        }
        progress.line("  read model: %,d keys in the store, %,d rows, %,d mismatches", folded.size(), readModel.size(),
                mismatches);
        return mismatches;
    }
}
