package dev.apikeys.bench;

import java.io.IOException;
import java.util.Collection;

/** {@code GET /api/v1/me/apikeys} of a user holding 100 keys, 16 clients back to back. */
final class ListPhase {

    private static final int CONNECTIONS = 16;
    private static final int KEYS = 100;
    private static final String OWNER = "bench-list-owner";
    private static final String KEY_PREFIX_FIELD = "\"key_prefix\":";

    private final PhaseContext context;

    ListPhase(PhaseContext context) {
        this.context = context;
    }

    /** {@code get_p99_ms} and {@code get_rps}; the owner's keys join {@code issuedKeys}. */
    void run(Collection<IssuedKey> issuedKeys) throws IOException, InterruptedException {
        String token = context.tokens().forUser(OWNER);
        byte[] list = context.endpoint().get(CreateKeysWorkload.PATH, token);
        createKeys(token, issuedKeys, list);

        LoadResult warmUp = LoadRun.closedLoop("get warm-up", context.endpoint(), CONNECTIONS,
                context.settings().seconds(5), connection -> CannedRequests.of(list, 200)).await(context.progress());
        context.progress().line("  %s", warmUp.summary());
        LoadResult result = LoadRun.closedLoop("get closed loop", context.endpoint(), CONNECTIONS,
                context.settings().seconds(20), connection -> CannedRequests.of(list, 200)).await(context.progress());
        context.progress().line("  %s", result.summary());
        context.report().record(BenchmarkFigures.GET_P99_MS, result.percentileMillis(99), result.unmetCondition());
        context.report().record(BenchmarkFigures.GET_RPS, result.servedPerSecond());
    }

    private void createKeys(String token, Collection<IssuedKey> issuedKeys, byte[] list) throws IOException {
        byte[] create = context.endpoint().post(CreateKeysWorkload.PATH, token, CreateKeysWorkload.BODY);
        try (HttpConnection connection = context.endpoint().connect()) {
            for (int i = 0; i < KEYS; i++) {
                if (connection.exchange(create) != 201) {
                    throw new PhaseFailed("creating the listed user's keys answered " + connection.status() + ": "
                            + connection.bodyText(0, 300));
                }
                issuedKeys.add(IssuedKey.fromAnswer(OWNER, connection));
            }
            // Read-your-writes: the very next GET must list all of them.
            if (connection.exchange(list) != 200 || occurrences(connection.bodyText(), KEY_PREFIX_FIELD) != KEYS) {
                throw new PhaseFailed("GET after creating " + KEYS + " keys did not list them: " + connection.status());
            }
        }
        context.progress().line("  created %d keys for %s", KEYS, OWNER);
    }

    private static int occurrences(String body, String text) {
        int count = 0;
        for (int at = body.indexOf(text); at >= 0; at = body.indexOf(text, at + 1)) {
            count++;
        }
        return count;
    }
}
