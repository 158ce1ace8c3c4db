package dev.apikeys.query.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.query.EventsElsewhere;
import dev.apikeys.query.SharedPostgres;
import dev.apikeys.query.TestTokens;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** The storage engine reading tracked events on a real PostgreSQL, gaps and all. */
@SpringBootTest(properties = {
        "apikeys.security.hmac-secret=" + TestTokens.SECRET,
        "apikeys.audit.bootstrap-servers=127.0.0.1:9",
})
class EventStorageEngineTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SharedPostgres.register(registry);
    }

    @Autowired
    EventStorageEngine storageEngine;

    @Autowired
    TransactionTemplate transaction;

    @Test
    void anEventCommittedInAGapIsReadOnceCommittedAndThenWhatFollows() throws Exception {
        TrackingToken start = storageEngine.createHeadToken();
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        DomainEventMessage<?> inFlight = created();
        CompletableFuture<Void> slowAppend = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(
                status -> {
                    storageEngine.appendEvents(List.of(inFlight));
                    appended.countDown();
                    await(commit);
                }));
        await(appended);
        DomainEventMessage<?> after = created();
        append(after);

        List<TrackedEventMessage<?>> first = read(start);
        assertThat(first).extracting(TrackedEventMessage::getIdentifier).containsExactly(after.getIdentifier());
        GapAwareTrackingToken passed = (GapAwareTrackingToken) first.get(0).trackingToken();
        assertThat(passed.getGaps()).as("the append in flight").hasSize(1);

        commit.countDown();
        slowAppend.get(10, TimeUnit.SECONDS);
        List<TrackedEventMessage<?>> second = read(passed);
        assertThat(second).extracting(TrackedEventMessage::getIdentifier).containsExactly(inFlight.getIdentifier());
        GapAwareTrackingToken filled = (GapAwareTrackingToken) second.get(0).trackingToken();
        assertThat(filled.getIndex()).isEqualTo(passed.getIndex());
        assertThat(filled.getGaps()).isEmpty();

        DomainEventMessage<?> next = created();
        append(next);
        assertThat(read(filled)).extracting(TrackedEventMessage::getIdentifier).containsExactly(next.getIdentifier());
    }

    /** More than a query's batch, with a gap in the token: all of them, in order, each once. */
    @Test
    void aLongStretchAfterAGapIsReadInOrder() throws Exception {
        TrackingToken start = storageEngine.createHeadToken();
        DomainEventMessage<?> first = created();
        append(first);
        try {
            transaction.executeWithoutResult(status -> {
                storageEngine.appendEvents(List.of(created()));
                throw new IllegalStateException("rolled back: its global index stays a gap");
            });
        } catch (IllegalStateException expected) {
            // the gap this test wants
        }
        List<String> expected = new ArrayList<>(List.of(first.getIdentifier()));
        List<DomainEventMessage<?>> batch = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            DomainEventMessage<?> event = created();
            batch.add(event);
            expected.add(event.getIdentifier());
        }
        append(batch.toArray(DomainEventMessage[]::new));

        List<TrackedEventMessage<?>> read = read(start);

        assertThat(read).extracting(TrackedEventMessage::getIdentifier).containsExactlyElementsOf(expected);
        assertThat(((GapAwareTrackingToken) read.get(read.size() - 1).trackingToken()).getGaps()).hasSize(1);
    }

    /** A key's history orders its two streams as they were stored. */
    @Test
    void aStreamsEventsAreReadWithTheirGlobalIndex() {
        DomainEventMessage<?> event = created();
        append(event);
        long head = storageEngine.createHeadToken().position().orElseThrow();

        DomainEventMessage<?> read = storageEngine.readEvents(event.getAggregateIdentifier()).next();

        assertThat(read).isInstanceOf(TrackedEventMessage.class);
        assertThat(((TrackedEventMessage<?>) read).trackingToken().position()).hasValue(head);
    }

    private List<TrackedEventMessage<?>> read(TrackingToken after) {
        try (Stream<? extends TrackedEventMessage<?>> events = storageEngine.readEvents(after, false)) {
            return new ArrayList<>(events.toList());
        }
    }

    private void append(DomainEventMessage<?>... events) {
        EventsElsewhere.append(transaction, storageEngine, events);
    }

    private static DomainEventMessage<?> created() {
        UUID key = UUID.randomUUID();
        return EventsElsewhere.ofKey(key, 0, new ApiKeyCreated(key, "gap-reader", null, "ci", "sk_abcde",
                "hash-of-" + key, List.of(), null, Instant.now(), null), "gap-reader");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
