package dev.apikeys.query.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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

    private final StoreHead head = new StoreHead(gaps -> {
        reads.incrementAndGet();
        readsRunning.incrementAndGet();
        try {
            long value = storeHead.get();
            release.await(10, TimeUnit.SECONDS);
            return new StoreHead.Reading(value, Set.of());
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
