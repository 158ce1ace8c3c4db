package dev.apikeys.standalone;

import static dev.apikeys.standalone.Api.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A disable, re-enable or delete is honoured by the very next verification
 * after the write answered, with no wait in between. Prints how long those verifications took,
 * which is the figure to quote.
 */
final class RevocationRounds {

    private RevocationRounds() {
    }

    /**
     * Per round: create, disable, enable, delete, each followed at once by a verification.
     *
     * @param writes     where the owner's writes go
     * @param verifies   where other services verify
     * @param deployment names the deployment in the printed figures
     */
    static void run(Api writes, Api verifies, String ownerToken, int rounds, String deployment) {
        String verifier = Tokens.verifier();
        List<Long> nanos = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            JsonNode created = writes.create(ownerToken, "{}");
            String path = KEYS + "/" + created.get("id").asText();
            String key = created.get("key").asText();
            assertThat(timedCode(verifies, verifier, key, nanos)).as("round %d, after create", round).isEqualTo("VALID");

            assertThat(disabled(writes.put(path, ownerToken))).as("round %d, disable", round).isTrue();
            assertThat(timedCode(verifies, verifier, key, nanos)).as("round %d, after disable", round)
                    .isEqualTo("DISABLED");

            assertThat(disabled(writes.put(path, ownerToken))).as("round %d, enable", round).isFalse();
            assertThat(timedCode(verifies, verifier, key, nanos)).as("round %d, after enable", round)
                    .isEqualTo("VALID");

            assertThat(writes.delete(path, ownerToken).status()).as("round %d, delete", round).isEqualTo(204);
            assertThat(timedCode(verifies, verifier, key, nanos)).as("round %d, after delete", round)
                    .isEqualTo("NOT_FOUND");
        }
        Collections.sort(nanos);
        System.out.printf("Verification right after the write answered (%s): %d calls, median %.1f ms, p99 %.1f ms,"
                        + " max %.1f ms%n", deployment, nanos.size(), millis(nanos.get(nanos.size() / 2)),
                millis(nanos.get((int) Math.ceil(nanos.size() * 0.99) - 1)), millis(nanos.get(nanos.size() - 1)));
    }

    private static boolean disabled(Api.Response toggled) {
        assertThat(toggled.status()).isEqualTo(200);
        return toggled.json().get("disabled").asBoolean();
    }

    private static String timedCode(Api verifies, String verifier, String key, List<Long> nanos) {
        long start = System.nanoTime();
        String code = verifies.verifyCode(verifier, key);
        nanos.add(System.nanoTime() - start);
        return code;
    }

    private static double millis(long nanos) {
        return nanos / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }
}
