package dev.apikeys.query.cluster;

import dev.apikeys.query.ProcessingNode;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The query-side instances that are alive, known through table {@code read_model.query_instance}:
 * each instance writes its heartbeat there, stamped with the database's clock so hosts need not
 * agree on the time. An instance whose heartbeat is older than the expiry counts as gone: its
 * segment claims are released at once, so a survivor takes its segments over without waiting for
 * the token store's claim timeout. Releasing is safe even if it was only slow: Axon checks the
 * claim with every token update, so its batch in flight rolls back and nothing is applied twice.
 */
class QueryInstances {

    private static final Logger log = LoggerFactory.getLogger(QueryInstances.class);

    private final JdbcTemplate jdbc;
    private final ProcessingNode node;
    private final Duration expiry;
    private volatile int alive = 1;

    QueryInstances(JdbcTemplate jdbc, ProcessingNode node, Duration expiry) {
        this.jdbc = jdbc;
        this.node = node;
        this.expiry = expiry;
    }

    /** Instances alive at the last heartbeat, this one included. */
    int alive() {
        return alive;
    }

    /** Writes this instance's heartbeat, counts those alive and lets go of the claims of those gone. */
    void beat() {
        jdbc.update("""
                insert into read_model.query_instance (node_id, heartbeat_at) values (?, now())
                on conflict (node_id) do update set heartbeat_at = now()""", node.id());
        Integer count = jdbc.queryForObject("""
                select count(*) from read_model.query_instance
                 where heartbeat_at >= now() - make_interval(secs => ?)""", Integer.class, expirySeconds());
        alive = Math.max(1, count == null ? 1 : count);
        int released = jdbc.update("""
                update read_model.token_entry set owner = null
                 where owner is not null
                   and owner not in (select node_id from read_model.query_instance
                                      where heartbeat_at >= now() - make_interval(secs => ?))""", expirySeconds());
        if (released > 0) {
            log.info("Released {} segment claims of query-side instances gone for more than {}", released, expiry);
        }
        jdbc.update("delete from read_model.query_instance where heartbeat_at < now() - interval '1 day'");
    }

    /** A graceful stop: the others need not wait for the heartbeat to expire to take its segments. */
    void leave() {
        jdbc.update("delete from read_model.query_instance where node_id = ?", node.id());
    }

    private double expirySeconds() {
        return expiry.toMillis() / 1000.0;
    }
}
