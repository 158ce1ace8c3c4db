package dev.apikeys.runtime.persistence;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells the processes that tail the event store that events were committed: a NOTIFY on channel
 * {@value #CHANNEL}, sent after the append committed, from a transaction of its own. Never inside
 * the append's transaction: a transaction that notifies holds a cluster-wide lock from its commit
 * until the commit is durable, so appends that notify would commit one at a time, each waiting out
 * the others' disk flushes. Coalesced: one announcement is in flight at a time, and the next covers
 * every commit made meanwhile. Announcements only wake readers early; nothing relies on them.
 */
@Component
public class AppendAnnouncer implements DisposableBean {

    public static final String CHANNEL = "apikeys_event_store";

    private static final Logger log = LoggerFactory.getLogger(AppendAnnouncer.class);

    /** Resolved when first needed: a context without a database (the runtime's own tests) never announces. */
    private final ObjectProvider<JdbcTemplate> jdbc;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "append-announcer");
        thread.setDaemon(true);
        return thread;
    });

    AppendAnnouncer(ObjectProvider<JdbcTemplate> jdbc) {
        this.jdbc = jdbc;
    }

    /** Events were committed just now; returns at once. */
    public void announce() {
        if (pending.compareAndSet(false, true)) {
            sender.execute(this::send);
        }
    }

    private void send() {
        // Cleared before sending: a commit from now on needs, and queues, the next announcement.
        pending.set(false);
        try {
            jdbc.getObject().execute("select pg_notify('" + CHANNEL + "', '')");
        } catch (RuntimeException e) {
            log.debug("Announcing committed events failed; readers find them at their next recheck", e);
        }
    }

    @Override
    public void destroy() {
        sender.shutdownNow();
    }
}
