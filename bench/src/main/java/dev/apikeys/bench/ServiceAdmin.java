package dev.apikeys.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The operator's calls the harness makes between and around the measured load: health,
 * projections, replay and the Prometheus scrape. Each opens a connection of its own, since calls
 * are seconds apart and the service may close an idle one.
 */
final class ServiceAdmin {

    static final String READ_MODEL = "apikey-read-model";
    static final String AUDIT_PUBLISHER = "apikey-audit-publisher";
    private static final long REPORT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * Each poll counts the events after every processor's position, which costs the database more
     * the longer the backlog: in a store of a million events a poll took about a second (a
     * sequential scan per processor), so polling every 2 s took half a core from the catch-up it
     * timed. Polls are spaced by ten times what the last one took, which holds them to about a
     * tenth of a core at any backlog, and comes down to 200 ms once the backlog is short and the
     * count cheap, so the end of a catch-up is still timed to a fraction of a second.
     */
    private static final long MIN_POLL_MILLIS = 200;
    private static final long MAX_POLL_MILLIS = 10_000;
    private static final int POLL_SPACING = 10;
    private static final TypeReference<List<ProcessorStatus>> STATUSES = new TypeReference<>() {
    };

    private final ServiceEndpoint endpoint;
    private final byte[] health;
    private final byte[] projections;
    private final byte[] prometheus;
    private final String adminToken;
    private final ObjectMapper json = new ObjectMapper();

    ServiceAdmin(ServiceEndpoint endpoint, BearerTokens tokens) {
        this.endpoint = endpoint;
        this.adminToken = tokens.forService("bench-operator", BearerTokens.ADMIN_SCOPE);
        this.health = endpoint.get("/actuator/health", null);
        this.projections = endpoint.get("/actuator/projections", adminToken);
        this.prometheus = endpoint.get("/actuator/prometheus", adminToken);
    }

    /** @return whether {@code /actuator/health} answers 200; false also when nothing listens yet */
    boolean healthy() {
        try (HttpConnection connection = endpoint.connect()) {
            return connection.exchange(health) == 200;
        } catch (IOException e) {
            return false;
        }
    }

    List<ProcessorStatus> projections() {
        String body = call(projections, 200);
        try {
            return json.readValue(body, STATUSES);
        } catch (IOException e) {
            throw new PhaseFailed("unreadable /actuator/projections: " + body, e);
        }
    }

    ProcessorStatus projection(String name) {
        return projections().stream().filter(status -> status.name().equals(name)).findFirst()
                .orElseThrow(() -> new PhaseFailed("no processor " + name + " in /actuator/projections"));
    }

    void startReplay(String processor) {
        call(endpoint.post("/actuator/projections/" + processor + "/replay", adminToken, "{}"), 202);
    }

    String prometheus() {
        return call(prometheus, 200);
    }

    /**
     * Waits until every processor has applied every event in the store, printing the lags as it
     * goes.
     *
     * @throws PhaseFailed when {@code within} passed first
     */
    void awaitEveryProcessorCaughtUp(Duration within, Progress progress) throws InterruptedException {
        awaitCaughtUp(null, within, progress);
    }

    /**
     * As {@link #awaitEveryProcessorCaughtUp}, for one processor. Says when each processor got
     * there, and how fast each goes meanwhile, since how long a backlog takes is worth knowing in
     * itself.
     */
    void awaitCaughtUp(String processor, Duration within, Progress progress) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        long lastReport = start;
        Map<String, Long> lagsAtStart = new HashMap<>();
        Map<String, Long> lagsAtLastReport = new HashMap<>();
        Set<String> caughtUp = new HashSet<>();
        while (true) {
            long polling = System.nanoTime();
            List<ProcessorStatus> statuses = projections().stream()
                    .filter(status -> processor == null || status.name().equals(processor)).toList();
            if (statuses.isEmpty()) {
                throw new PhaseFailed("no processor " + processor + " in /actuator/projections");
            }
            for (ProcessorStatus status : statuses) {
                lagsAtStart.putIfAbsent(status.name(), status.lagEvents());
                lagsAtLastReport.putIfAbsent(status.name(), status.lagEvents());
                if (status.lagEvents() == 0 && caughtUp.add(status.name()) && statuses.size() > 1) {
                    progress.line("  %s caught up after %.1f s", status.name(), (System.nanoTime() - start) / 1e9);
                }
            }
            if (caughtUp.size() == statuses.size()) {
                return;
            }
            long now = System.nanoTime();
            if (now >= deadline) {
                double seconds = (now - start) / 1e9;
                throw new PhaseFailed("not caught up within " + within.toSeconds() + " s: " + statuses.stream()
                        .map(status -> String.format("%s lag %,d of %,d (%,.0f/s, %s; %s)", status.name(),
                                status.lagEvents(), lagsAtStart.get(status.name()),
                                (lagsAtStart.get(status.name()) - status.lagEvents()) / seconds, status.status(),
                                status.describePosition()))
                        .collect(Collectors.joining(", ")));
            }
            if (now - lastReport >= REPORT_EVERY_NANOS) {
                double seconds = (now - lastReport) / 1e9;
                progress.line("  waiting for %s: %s", processor == null ? "every processor" : processor,
                        statuses.stream().map(status -> String.format("%s lag %,d (falling %,.0f/s)", status.name(),
                                status.lagEvents(), (lagsAtLastReport.get(status.name()) - status.lagEvents()) / seconds))
                                .collect(Collectors.joining(", ")));
                statuses.forEach(status -> lagsAtLastReport.put(status.name(), status.lagEvents()));
                lastReport = now;
            }
            long pollMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - polling);
            Thread.sleep(Math.max(MIN_POLL_MILLIS, Math.min(MAX_POLL_MILLIS, POLL_SPACING * pollMillis)));
        }
    }

    private static String requestLine(byte[] request) {
        String head = new String(request, 0, Math.min(request.length, 200), StandardCharsets.US_ASCII);
        return head.substring(0, head.indexOf(" HTTP/1.1"));
    }

    private String call(byte[] request, int expectedStatus) {
        try (HttpConnection connection = endpoint.connect()) {
            int status = connection.exchange(request);
            if (status != expectedStatus) {
                throw new PhaseFailed(requestLine(request) + " answered " + status + " rather than " + expectedStatus
                        + ": " + connection.bodyText(0, 500));
            }
            return connection.bodyText();
        } catch (IOException e) {
            throw new PhaseFailed("the service did not answer " + requestLine(request) + ": " + e, e);
        }
    }
}
