package dev.apikeys.query.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeys.query.SharedPostgres;
import dev.apikeys.query.TestTokens;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** Two instances making one processor's segments at once, on a real PostgreSQL. */
@SpringBootTest(properties = {
        "apikeys.security.hmac-secret=" + TestTokens.SECRET,
        "apikeys.audit.bootstrap-servers=127.0.0.1:9",
})
class SegmentInitializationTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SharedPostgres.register(registry);
    }

    @Autowired
    TokenStore tokenStore;

    @Autowired
    TransactionManager transactionManager;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcTemplate jdbc;

    /** The second waits for the first to commit, finds its segments made and carries on. */
    @Test
    void theSecondOfTwoConcurrentInitializationsFindsTheFirstsSegments() throws Exception {
        String processor = "apikey-test-" + UUID.randomUUID();
        CountDownLatch initialized = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(status -> {
            tokenStore.initializeTokenSegments(processor, 4);
            initialized.countDown();
            awaitLatch(commit);
        }));
        awaitLatch(initialized);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() ->
                ProcessingConfiguration.initializeSegments(tokenStore, transactionManager, processor, 4));

        // Release the first only once the second waits on it, however it waits.
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("""
                select count(*) from pg_stat_activity
                 where datname = current_database() and wait_event_type = 'Lock'""", Integer.class) > 0);
        commit.countDown();
        first.get(30, TimeUnit.SECONDS);

        second.get(30, TimeUnit.SECONDS);
        int[] segments = transaction.execute(status -> tokenStore.fetchSegments(processor));
        assertThat(segments).containsExactly(0, 1, 2, 3);
    }

    @Test
    void segmentsMadeAlreadyAreLeftAsTheyAre() {
        String processor = "apikey-test-" + UUID.randomUUID();
        ProcessingConfiguration.initializeSegments(tokenStore, transactionManager, processor, 2);
        ProcessingConfiguration.initializeSegments(tokenStore, transactionManager, processor, 4);

        int[] segments = transaction.execute(status -> tokenStore.fetchSegments(processor));
        assertThat(segments).containsExactly(0, 1);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
