package dev.apikeys.query.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.apikeys.query.processing.EventStoreIndex.IndexedEvent;
import dev.apikeys.query.processing.Positions.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;

/** The wait for a head read after it began, on a store and positions in memory. */
class CatchUpTest {

    private static final Segment[] HALVES = Segment.computeSegments(0, 1);
    /** Keys whose hash codes are even (segment 0 of 2) and odd (segment 1 of 2). */
    private static final String EVEN = "b";
    private static final String ODD = "a";
    private static final Duration LONG = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofMillis(200);

    private final Store store = new Store();
    private final AtomicInteger fetches = new AtomicInteger();
    private final CatchUp catchUp = new CatchUp(new StoreHead(store::head), store::between, fetches::incrementAndGet);

    @Test
    void positionsAtTheHeadAreCaughtUpWithoutWaiting() throws Exception {
        store.head = 10;
        Local positions = new Local(new Position(Segment.ROOT_SEGMENT, token(10), true));

        assertThat(catchUp.await(positions, SHORT)).isTrue();
        assertThat(store.reads).isEqualTo(1);
        assertThat(fetches).hasValue(0);
    }

    @Test
    void anEmptyStoreIsCaughtUpWhateverThePositions() throws Exception {
        store.head = -1;

        assertThat(catchUp.await(new Local(), SHORT)).isTrue();
    }

    @Test
    void aPositionBehindTheHeadIsWaitedForUntilItMovesAndTheStoreIsAskedToFetch() throws Exception {
        store.head = 10;
        Local positions = new Local(new Position(Segment.ROOT_SEGMENT, token(9), true));

        CompletableFuture<Boolean> wait = CompletableFuture.supplyAsync(() -> awaitIn(positions, LONG));
        await().atMost(Duration.ofSeconds(5)).until(() -> fetches.get() == 1);
        assertThat(wait).isNotDone();
        positions.move(new Position(Segment.ROOT_SEGMENT, token(10), true));

        assertThat(wait.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(fetches).hasValue(1);
    }

    @Test
    void aPositionThatDoesNotReachTheHeadInTimeIsNotCaughtUp() throws Exception {
        store.head = 10;

        assertThat(catchUp.await(new Local(new Position(Segment.ROOT_SEGMENT, token(9), true)), SHORT)).isFalse();
    }

    @Test
    void itTimesOutWhenThePositionsNeverCatchUp() throws Exception {
        store.head = 1;

        long start = System.nanoTime();
        assertThat(catchUp.await(new Local(new Position(Segment.ROOT_SEGMENT, token(0), true)), SHORT)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(SHORT);
    }

    @Test
    void aFailedReadOfTheHeadIsPassedOn() {
        CatchUp unreadable = new CatchUp(new StoreHead(indexes -> {
            throw new IllegalStateException("connection refused");
        }), store::between, fetches::incrementAndGet);

        assertThatThrownBy(() -> unreadable.await(new Local(), SHORT)).hasMessage("connection refused");
    }

    @Test
    void aGapThatIsACommittedEventHoldsThePositionBackAndOneThatNeverWillDoesNot() throws Exception {
        store.head = 10;
        store.committed = Set.of(5L);

        assertThat(catchUp.await(new Local(new Position(Segment.ROOT_SEGMENT, token(10, 5), true)), SHORT))
                .as("committed in the gap").isFalse();
        assertThat(catchUp.await(new Local(new Position(Segment.ROOT_SEGMENT, token(10, 6), true)), SHORT))
                .as("rolled back in the gap").isTrue();
        assertThat(catchUp.await(new Local(new Position(Segment.ROOT_SEGMENT, token(12, 11), true)), SHORT))
                .as("a gap above the head").isTrue();
    }

    @Test
    void aGapPassedAfterTheHeadWasReadIsAskedAboutInAReadOfItsOwn() throws Exception {
        store.head = 10;
        store.committed = Set.of(7L);
        Local positions = new Local(new Position(Segment.ROOT_SEGMENT, token(6), true));
        // The stream passes index 7 as in flight just after the head was read, though it committed before.
        store.afterRead = () -> positions.move(new Position(Segment.ROOT_SEGMENT, token(10, 7), true));

        CompletableFuture<Boolean> wait = CompletableFuture.supplyAsync(() -> awaitIn(positions, LONG));
        await().atMost(Duration.ofSeconds(5)).until(() -> store.asked.contains(7L));
        assertThat(wait).as("7 is a committed event the position has not applied").isNotDone();
        positions.move(new Position(Segment.ROOT_SEGMENT, token(10), true));

        assertThat(wait.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(store.reads).isEqualTo(2);
    }

    @Test
    void positionsThatCoverOnlyPartOfTheEventsAreNotCaughtUp() throws Exception {
        store.head = 10;

        assertThat(catchUp.await(new Local(new Position(HALVES[0], token(10), true)), SHORT)).isFalse();
        assertThat(catchUp.await(new Local(), SHORT)).isFalse();
    }

    @Test
    void anotherInstancesSegmentBehindTheHeadHoldsNothingBackWhenNoEventUpToTheHeadIsItsOwn() throws Exception {
        store.head = 10;
        store.events = List.of(new IndexedEvent(9, EVEN), new IndexedEvent(10, EVEN));
        Local positions = new Local(new Position(HALVES[0], token(10), true), new Position(HALVES[1], token(8), false));

        assertThat(catchUp.await(positions, SHORT)).isTrue();
        assertThat(fetches).as("nothing of this process is behind").hasValue(0);
    }

    @Test
    void anotherInstancesSegmentBehindOneOfItsOwnEventsIsReadAgainUntilItAppliedIt() throws Exception {
        store.head = 10;
        store.events = List.of(new IndexedEvent(9, ODD), new IndexedEvent(10, EVEN));
        Local positions = new Local(new Position(HALVES[0], token(10), true), new Position(HALVES[1], token(8), false));

        assertThat(catchUp.await(positions, SHORT)).isFalse();

        CompletableFuture<Boolean> wait = CompletableFuture.supplyAsync(() -> awaitIn(positions, LONG));
        positions.quietly(new Position(HALVES[1], token(9), false));
        assertThat(wait.get(5, TimeUnit.SECONDS)).as("read again, though nothing signalled").isTrue();
    }

    private boolean awaitIn(Positions positions, Duration timeout) {
        try {
            return catchUp.await(positions, timeout);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TrackingToken token(long index, long... gaps) {
        SortedSet<Long> gapSet = new TreeSet<>();
        for (long gap : gaps) {
            gapSet.add(gap);
        }
        return GapAwareTrackingToken.newInstance(index, gapSet);
    }

    /** The store's index as the waits see it. */
    private static final class Store {
        volatile long head;
        volatile Set<Long> committed = Set.of();
        volatile List<IndexedEvent> events = List.of();
        final Set<Long> asked = ConcurrentHashMap.newKeySet();
        volatile int reads;
        volatile Runnable afterRead = () -> { };

        EventStoreIndex.Head head(Set<Long> indexes) {
            reads++;
            asked.addAll(indexes);
            Set<Long> found = new TreeSet<>(indexes);
            found.retainAll(committed);
            Runnable then = afterRead;
            afterRead = () -> { };
            then.run();
            return new EventStoreIndex.Head(head, found);
        }

        List<IndexedEvent> between(long after, long upTo, Set<Long> gaps) {
            return events.stream().filter(event -> event.globalIndex() <= upTo
                    && (event.globalIndex() > after || gaps.contains(event.globalIndex()))).toList();
        }
    }

    /** Positions of one process, each segment's replaced as it moves. */
    private static final class Local implements Positions {
        private final Signal signal = new Signal();
        private volatile List<Position> positions;

        Local(Position... positions) {
            this.positions = List.of(positions);
        }

        void move(Position moved) {
            quietly(moved);
            signal.signal();
        }

        /** As another instance's segment moves: nothing here hears of it. */
        void quietly(Position moved) {
            List<Position> next = new ArrayList<>(positions);
            next.removeIf(position -> position.segment().equals(moved.segment()));
            next.add(moved);
            positions = List.copyOf(next);
        }

        @Override
        public Snapshot now() {
            return new Snapshot(signal.mark(), positions);
        }

        @Override
        public void awaitChange(long mark, long nanos) throws InterruptedException {
            signal.awaitChange(mark, nanos);
        }
    }
}
