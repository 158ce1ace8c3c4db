package dev.apikeys.bench;

import java.io.IOException;
import java.util.Collection;

/**
 * {@code POST /api/v1/apikeys/verify} of random live keys, as the platform's gateways call it: the
 * most 16 clients get back to back after a warm-up, then latency at a fixed 8,000/s over 16
 * connections; then the same back to back over keys with a rate limit and credits, where each VALID
 * answer is taken from capacity and credits reserved in PostgreSQL.
 */
final class VerifyPhases {

    private static final int CONNECTIONS = 16;
    private static final double RATE = 8000;
    private static final String PATH = "/api/v1/apikeys/verify";
    /** Every key verified is live, so every answer must say so. */
    private static final String VALID = "\"code\":\"VALID\"";
    private static final int LIMITED_KEYS = 100;
    private static final String LIMITED_OWNER = "bench-limited-owner";
    /**
     * 100 keys at 50 a second each: about what the service serves, so both VALID and RATE_LIMITED
     * answers come; and credits enough for the run, so every VALID answer consumes some.
     */
    private static final String LIMITED_BODY = "{\"rate_limit\": {\"limit\": 50, \"duration_seconds\": 1},"
            + " \"credits\": {\"remaining\": 1000000000}}";
    /** A limited key's answer is VALID or RATE_LIMITED, and says how its window stands either way. */
    private static final String RATE_LIMIT_WINDOW = "\"ratelimit\":";

    private final PhaseContext context;

    VerifyPhases(PhaseContext context) {
        this.context = context;
    }

    /** {@code verify_rps}, then {@code verify_p99_ms}. */
    void run(Collection<IssuedKey> liveKeys) throws IOException, InterruptedException {
        if (liveKeys.isEmpty()) {
            throw new PhaseFailed("no keys to verify: the create phases issued none");
        }
        String token = context.tokens().forService("bench-gateway", BearerTokens.VERIFY_SCOPE);
        byte[][] verifications = liveKeys.stream()
                .map(key -> context.endpoint().post(PATH, token, "{\"key\": \"" + key.plaintext() + "\"}"))
                .toArray(byte[][]::new);
        CannedRequests workload = CannedRequests.anyOf(verifications, 200, VALID);
        context.progress().line("verifying %,d different keys", verifications.length);

        // The JIT's C2 compiler, sharing the two cores, takes minutes to compile the verification
        // path: measured from a fresh start under this load, 155 verifications/s in the first
        // 20 s, 730 after two minutes, 1,480 after three. The earlier phases warmed part of it.
        summarize(LoadRun.closedLoop("verify warm-up", context.endpoint(), CONNECTIONS, context.settings().seconds(45),
                connection -> workload).await(context.progress()));
        LoadResult closedLoop = summarize(LoadRun.closedLoop("verify closed loop", context.endpoint(), CONNECTIONS,
                context.settings().seconds(20), connection -> workload).await(context.progress()));
        context.report().record(BenchmarkFigures.VERIFY_RPS, closedLoop.servedPerSecond(), closedLoop.unmetCondition());

        summarize(LoadRun.fixedRate("verify fixed-rate warm-up", context.endpoint(), CONNECTIONS, RATE,
                context.settings().seconds(5), connection -> workload).await(context.progress()));
        LoadResult fixedRate = summarize(LoadRun.fixedRate("verify fixed rate", context.endpoint(), CONNECTIONS, RATE,
                context.settings().seconds(20), connection -> workload).await(context.progress()));
        context.report().record(BenchmarkFigures.VERIFY_P99_MS, fixedRate.percentileMillis(99), fixedRate.unmetCondition());

        runLimited(token);
    }

    /** {@code verify_limited_rps} and {@code verify_limited_p99_ms}. */
    private void runLimited(String token) throws IOException, InterruptedException {
        String owner = context.tokens().forUser(LIMITED_OWNER);
        byte[] create = context.endpoint().post(CreateKeysWorkload.PATH, owner, LIMITED_BODY);
        byte[][] verifications = new byte[LIMITED_KEYS][];
        try (HttpConnection connection = context.endpoint().connect()) {
            for (int i = 0; i < LIMITED_KEYS; i++) {
                if (connection.exchange(create) != 201) {
                    throw new PhaseFailed("creating a rate-limited key answered " + connection.status() + ": "
                            + connection.bodyText(0, 300));
                }
                IssuedKey key = IssuedKey.fromAnswer(LIMITED_OWNER, connection);
                verifications[i] = context.endpoint().post(PATH, token, "{\"key\": \"" + key.plaintext() + "\"}");
            }
        }
        CannedRequests workload = CannedRequests.anyOf(verifications, 200, RATE_LIMIT_WINDOW);
        context.progress().line("verifying %,d keys limited to 50/s each, with credits", LIMITED_KEYS);
        summarize(LoadRun.closedLoop("limited verify warm-up", context.endpoint(), CONNECTIONS,
                context.settings().seconds(10), connection -> workload).await(context.progress()));
        LoadResult limited = summarize(LoadRun.closedLoop("limited verify closed loop", context.endpoint(), CONNECTIONS,
                context.settings().seconds(20), connection -> workload).await(context.progress()));
        context.report().record(BenchmarkFigures.VERIFY_LIMITED_RPS, limited.servedPerSecond(), limited.unmetCondition());
        context.report().record(BenchmarkFigures.VERIFY_LIMITED_P99_MS, limited.percentileMillis(99),
                limited.unmetCondition());
    }

    private LoadResult summarize(LoadResult result) {
        context.progress().line("  %s", result.summary());
        return result;
    }
}
