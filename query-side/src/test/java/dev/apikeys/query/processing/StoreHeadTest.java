package dev.apikeys.query.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StoreHeadTest {

    private final AtomicLong storeHead = new AtomicLong(1);
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger readsRunning = new AtomicInteger();
    private volatile CountDownLatch release = new CountDownLatch(0);
    private volatile RuntimeException storeFailure;

    private final StoreHead head = new StoreHead(gaps -> {
        reads.incrementAndGet();
        readsRunning.incrementAndGet();
        try {
            long value = storeHead.get();
            release.await(10, TimeUnit.SECONDS);
            if (storeFailure != null) {
                throw storeFailure;
            }
            return new EventStoreIndex.Head(value, Set.of());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            readsRunning.decrementAndGet();
        }
    });

    @Test
    void aCallerAloneReadsTheHeadItself() throws InterruptedException {
        assertThat(head.readBegunAfterNow(Set::of, deadline()).index()).isEqualTo(1);
        storeHead.set(2);
        assertThat(head.readBegunAfterNow(Set::of, deadline()).index()).isEqualTo(2);
        assertThat(reads).hasValue(2);
    }

    /** A read already running may have missed what committed just before the caller asked. */
    @Test
    void aCallerArrivingDuringAReadWaitsForTheNextOneAndSharesIt() throws Exception {
        release = new CountDownLatch(1);
        CompletableFuture<StoreHead.Reading> first = CompletableFuture.supplyAsync(this::read);
        await().atMost(Duration.ofSeconds(10)).until(() -> readsRunning.get() == 1);

        storeHead.set(2);
        List<CompletableFuture<StoreHead.Reading>> later = IntStream.range(0, 5)
                .mapToObj(i -> CompletableFuture.supplyAsync(this::read))
                .toList();
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).index()).isEqualTo(1);
        for (CompletableFuture<StoreHead.Reading> reading : later) {
            assertThat(reading.get(10, TimeUnit.SECONDS).index()).isEqualTo(2);
        }
        assertThat(reads.get()).isLessThanOrEqualTo(6).isGreaterThanOrEqualTo(2);
    }

    /** The store out of reach: a caller waiting for the next read fails now, not after that read fails too. */
    @Test
    void aCallerArrivingDuringAReadThatFailsFailsWithIt() throws Exception {
        release = new CountDownLatch(1);
        storeFailure = new IllegalStateException("store unreachable");
        CompletableFuture<StoreHead.Reading> first = CompletableFuture.supplyAsync(this::read);
        await().atMost(Duration.ofSeconds(10)).until(() -> readsRunning.get() == 1);

        FutureTask<StoreHead.Reading> later = new FutureTask<>(this::read);
        Thread caller = new Thread(later);
        caller.start();
        // Waiting in the head's monitor for the next read.
        await().atMost(Duration.ofSeconds(10)).until(() -> caller.getState() == Thread.State.TIMED_WAITING);
        release.countDown();

        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasRootCause(storeFailure);
        assertThatThrownBy(() -> later.get(10, TimeUnit.SECONDS)).hasRootCause(storeFailure);
        assertThat(reads).hasValue(1);
    }

    @Test
    void noReadBeforeTheDeadlineIsNull() throws Exception {
        release = new CountDownLatch(1);
        CompletableFuture<StoreHead.Reading> first = CompletableFuture.supplyAsync(this::read);
        await().atMost(Duration.ofSeconds(10)).until(() -> readsRunning.get() == 1);

        assertThat(head.readBegunAfterNow(Set::of, System.nanoTime() + Duration.ofMillis(50).toNanos())).isNull();
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
    }

    private StoreHead.Reading read() {
        try {
            return head.readBegunAfterNow(Set::of, deadline());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long deadline() {
        return System.nanoTime() + Duration.ofSeconds(10).toNanos();
    }
}
