package dev.apikeys.standalone;

import static dev.apikeys.standalone.Api.KEYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.events.EventMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Times a PUT, a page of history (the first and the last) and {@code as_of} (now, and half-way
 * back) over HTTP into one standalone process, on one key with 10, 100, 1,000, 10,000 and 100,000
 * events: every second one of its own stream (disabled, enabled), every other one a usage fact.
 * The events past the first are appended to the store directly, as the command side and the usage
 * recorder would have, and timed once the processors caught up with them. Prints its figures (median and 95th percentile, ms); asserts only what it
 * was answered. Not run by the build (no Test suffix): {@code ./mvnw -o -pl standalone -am verify
 * -Dtest=KeyDepthBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
class KeyDepthBenchmark {

    private static final int[] DEPTHS = {10, 100, 1_000, 10_000, 100_000};
    private static final int TIMES = 30;

    @Test
    void timesOneKeyAtEachDepth() {
        ConfigurableApplicationContext context = StandaloneTestProperties.start(
                StandaloneTestProperties.fresh(100), StandaloneApplication.class);
        try {
            Api api = new Api(StandaloneTestProperties.port(context));
            EventStorageEngine store = context.getBean(EventStorageEngine.class);
            TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
            String user = "user-" + UUID.randomUUID();
            String owner = Tokens.forUser(user);
            String admin = Tokens.forService("bench", "apikeys:admin");
            UUID keyId = UUID.fromString(api.create(owner, "{}").get("id").asText());
            String key = KEYS + "/" + keyId;
            int depth = 1;
            System.out.printf("%8s %14s %14s %14s %14s %14s%n", "events", "PUT", "history first",
                    "history last", "as_of now", "as_of half-way");
            for (int target : DEPTHS) {
                Instant halfWay = append(store, transactions, keyId, user, depth, target);
                depth = Math.max(depth, target);
                // Timed once the processors are idle: their catching up with the appends would share the cores.
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                        .until(() -> api.processorsCaughtUp(admin));
                int events = depth;
                api.put(key, owner);
                depth++;
                long[] put = time(() -> api.put(key, owner));
                depth += TIMES;
                int entries = depth;
                long[] first = time(() -> api.get(key + "/history", owner));
                long[] last = time(() -> api.get(key + "/history?after=" + Math.max(0, entries - 101), owner));
                long[] asOfNow = time(() -> api.get(KEYS + "?as_of=" + Instant.now(), owner));
                long[] asOfHalfWay = time(() -> api.get(KEYS + "?as_of=" + halfWay, owner));
                System.out.printf("%8d %14s %14s %14s %14s %14s%n", events, figures(put), figures(first),
                        figures(last), figures(asOfNow), figures(asOfHalfWay));
            }
        } finally {
            context.close();
        }
    }

    /**
     * Appends events of both streams in turn, in transactions of 1,000, until the key has
     * {@code target}, each a microsecond after the one before, from now.
     *
     * @return when entry {@code target / 2} happened
     */
    private static Instant append(EventStorageEngine store, TransactionTemplate transactions, UUID keyId,
            String user, int depth, int target) {
        Instant start = Instant.now();
        long lifecycle = store.lastSequenceNumberFor(keyId.toString()).orElseThrow() + 1;
        long usage = store.lastSequenceNumberFor(ApiKeyUsageStream.of(keyId)).orElse(-1L) + 1;
        List<DomainEventMessage<?>> batch = new ArrayList<>();
        MetaData metaData = MetaData.with(EventMetadata.ACTOR_ID, user).and(EventMetadata.CORRELATION_ID, "bench");
        for (int entry = depth; entry < target; entry++) {
            Instant at = start.plusNanos((entry - depth) * 1_000L);
            batch.add(entry % 2 == 0
                    ? new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE, ApiKeyUsageStream.of(keyId), usage++,
                            new ApiKeyUsed(keyId, user, at), metaData)
                    : new GenericDomainEventMessage<>("ApiKey", keyId.toString(), lifecycle, lifecycle++ % 2 == 1
                            ? new ApiKeyDisabled(keyId, user, at) : new ApiKeyEnabled(keyId, user, at), metaData));
            if (batch.size() == 1_000 || entry == target - 1) {
                List<DomainEventMessage<?>> appending = List.copyOf(batch);
                transactions.executeWithoutResult(status -> store.appendEvents(appending));
                batch.clear();
            }
        }
        return start.plusNanos((target / 2 - depth) * 1_000L);
    }

    private static long[] time(Supplier<Api.Response> call) {
        long[] micros = new long[TIMES];
        for (int i = 0; i < TIMES; i++) {
            long began = System.nanoTime();
            Api.Response answer = call.get();
            micros[i] = (System.nanoTime() - began) / 1_000;
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        }
        Arrays.sort(micros);
        return micros;
    }

    private static String figures(long[] sorted) {
        return String.format("%.1f / %.1f", sorted[sorted.length / 2] / 1000.0,
                sorted[(int) (sorted.length * 0.95)] / 1000.0);
    }
}
