package dev.apikeys.bench;

/**
 * Kafka down while writes go on, then back: how fast {@code apikey-audit-publisher} publishes the
 * backlog once the broker is up again. The broker is killed, as in a crash, and restarted on the
 * same port and log directory.
 */
final class AuditCatchUpPhase {

    private static final long BACKLOG = 100_000;

    private final PhaseContext context;
    private final KafkaBrokerProcess broker;

    AuditCatchUpPhase(PhaseContext context, KafkaBrokerProcess broker) {
        this.context = context;
        this.broker = broker;
    }

    /** {@code audit_catchup_events_per_s}: the publisher's backlog over the time from broker-ready to lag 0. */
    void run() throws Exception {
        BenchSettings settings = context.settings();
        context.awaitQuietStore();
        context.progress().line("killing the Kafka broker");
        broker.kill();
        long keys = settings.count(BACKLOG, 10_000) / BenchDatabase.EVENTS_PER_KEY;
        long appended = context.database().appendKeyEvents(keys, "backlog-owner");
        context.progress().line("  appended %,d events with SQL while Kafka is down", appended);
        context.admin().awaitCaughtUp(ServiceAdmin.READ_MODEL, context.timeout(settings.seconds(150)),
                context.progress());
        long backlog = context.admin().projection(ServiceAdmin.AUDIT_PUBLISHER).lagEvents();
        context.progress().line("  %s caught up; %s has %,d events to publish", ServiceAdmin.READ_MODEL,
                ServiceAdmin.AUDIT_PUBLISHER, backlog);

        broker.start();
        long ready = System.nanoTime();
        context.progress().line("  Kafka broker ready again on %s", broker.bootstrapServers());
        context.admin().awaitCaughtUp(ServiceAdmin.AUDIT_PUBLISHER, context.timeout(settings.seconds(150)),
                context.progress());
        double took = (System.nanoTime() - ready) / 1e9;
        context.progress().line("  %s published %,d events in %.1f s", ServiceAdmin.AUDIT_PUBLISHER, backlog, took);
        context.report().record(BenchmarkFigures.AUDIT_CATCHUP_EVENTS_PER_S, backlog / took);
    }
}
