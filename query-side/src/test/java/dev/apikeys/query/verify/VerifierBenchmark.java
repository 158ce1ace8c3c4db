package dev.apikeys.query.verify;

import dev.apikeys.events.KeyPosition;
import dev.apikeys.events.KeySettings;
import dev.apikeys.events.KeyState;
import dev.apikeys.query.processing.CatchUp;
import dev.apikeys.query.processing.EventStoreIndex;
import dev.apikeys.query.processing.StoreHead;
import dev.apikeys.runtime.key.ApiKeyFormat;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Times verifications inside the process: the checksum, the digest, the map read and the verdict,
 * for 100,000 keys in memory and 1,000,000 verifications of random ones, one at a time. The head
 * read every verification makes (a database round trip, shared under load) is left out: it is
 * measured over HTTP. Prints its figures; asserts nothing.
 * <p>
 * Run: {@code ./mvnw -q -pl query-side test-compile dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt && java -cp query-side/target/test-classes:query-side/target/classes:$(cat
 * query-side/target/cp.txt) dev.apikeys.query.verify.VerifierBenchmark}
 */
final class VerifierBenchmark {

    private static final int KEYS = 100_000;
    private static final int VERIFICATIONS = 1_000_000;
    private static final int WARM_UP = 200_000;

    private VerifierBenchmark() {
    }

    public static void main(String[] args) {
        SecureRandom random = new SecureRandom();
        VerifiableKeys keys = new VerifiableKeys();
        List<String> plaintexts = new ArrayList<>(KEYS);
        for (int i = 0; i < KEYS; i++) {
            String key = newKey(random);
            plaintexts.add(key);
            keys.load(new KeyState(UUID.randomUUID(), "user-" + i % 1000, null, "bench", key.substring(0, 8),
                    ApiKeyFormat.sha256Hex(key), List.of("models:read", "workflows:*"), null, null, null, null, null,
                    false, false, new KeyPosition(0, -1), KeySettings.NONE));
        }
        VerificationProperties properties = new VerificationProperties(
                new VerificationProperties.Verify(Duration.ofSeconds(1), false),
                new VerificationProperties.Usage(Duration.ofSeconds(5)));
        Freshness fresh = new Freshness(new CatchUp(new StoreHead(indexes -> new EventStoreIndex.Head(-1, Set.of())),
                (after, head, gaps) -> List.of(), () -> { }), new VerifiableKeysFeed(null, null, null, null, keys),
                properties);
        Verifier verifier = new Verifier(keys, fresh, new UsageRecorder(null, keys, properties),
                new RateLimiter(null, Clock.systemUTC()), new CreditMeter(null, Clock.systemUTC()), Clock.systemUTC(),
                properties);
        List<String> required = List.of("models:read");

        for (int i = 0; i < WARM_UP; i++) {
            verifier.verify(plaintexts.get(random.nextInt(KEYS)), required, null, 1, "bench");
        }
        long[] nanos = new long[VERIFICATIONS];
        long valid = 0;
        long start = System.nanoTime();
        for (int i = 0; i < VERIFICATIONS; i++) {
            String key = plaintexts.get(random.nextInt(KEYS));
            long begin = System.nanoTime();
            Verification verification = verifier.verify(key, required, null, 1, "bench");
            nanos[i] = System.nanoTime() - begin;
            valid += verification.valid() ? 1 : 0;
        }
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        Arrays.sort(nanos);
        System.out.printf("verifications=%d valid=%d keys=%d at=%s%n", VERIFICATIONS, valid, KEYS, Instant.now());
        System.out.printf("verify_in_process_p50_us=%.1f%n", nanos[VERIFICATIONS / 2] / 1000.0);
        System.out.printf("verify_in_process_p99_us=%.1f%n", nanos[VERIFICATIONS * 99 / 100] / 1000.0);
        System.out.printf("verify_in_process_max_us=%.1f%n", nanos[VERIFICATIONS - 1] / 1000.0);
        System.out.printf("verify_in_process_per_s=%.0f%n", VERIFICATIONS / (total.toNanos() / 1e9));
    }

    private static String newKey(SecureRandom random) {
        StringBuilder body = new StringBuilder(ApiKeyFormat.PREFIX);
        for (int i = 0; i < ApiKeyFormat.RANDOM_LENGTH; i++) {
            body.append(ApiKeyFormat.BASE62.charAt(random.nextInt(ApiKeyFormat.BASE62.length())));
        }
        return body + ApiKeyFormat.checksum(body.toString());
    }
}
