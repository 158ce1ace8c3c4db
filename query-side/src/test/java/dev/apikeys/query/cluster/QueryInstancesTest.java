package dev.apikeys.query.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.query.ProcessingNode;
import dev.apikeys.query.ReadModelDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Heartbeats on a real PostgreSQL with the read_model migrations applied. */
class QueryInstancesTest {

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;

    private final QueryInstances here = new QueryInstances(jdbc, new ProcessingNode("here"), Duration.ofSeconds(5));

    @BeforeAll
    static void readModel() throws IOException {
        postgres = ReadModelDatabase.start();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void empty() {
        jdbc.update("delete from read_model.query_instance");
        jdbc.update("delete from read_model.token_entry");
    }

    @Test
    void aliveCountsTheInstancesWhoseHeartbeatIsRecent() {
        heartbeat("there", 1);
        heartbeat("long-gone", 60);

        here.beat();

        assertThat(here.alive()).isEqualTo(2);
    }

    @Test
    void theClaimsOfAnInstanceGoneSilentAreReleasedAndTheOthersKept() {
        heartbeat("there", 1);
        heartbeat("gone", 6);
        claim(0, "here");
        claim(1, "there");
        claim(2, "gone");
        claim(3, "never-seen");
        claim(4, null);

        here.beat();

        assertThat(jdbc.queryForList("select owner from read_model.token_entry order by segment", String.class))
                .containsExactly("here", "there", null, null, null);
    }

    @Test
    void anInstanceThatLeavesIsNotCountedAnyMore() {
        QueryInstances there = new QueryInstances(jdbc, new ProcessingNode("there"), Duration.ofSeconds(5));
        there.beat();
        here.beat();
        assertThat(here.alive()).isEqualTo(2);

        there.leave();
        here.beat();

        assertThat(here.alive()).isEqualTo(1);
    }

    private static void heartbeat(String node, int secondsAgo) {
        jdbc.update("insert into read_model.query_instance (node_id, heartbeat_at) values (?, now() - make_interval(secs => ?))",
                node, secondsAgo);
    }

    private static void claim(int segment, String owner) {
        jdbc.update("""
                insert into read_model.token_entry (processor_name, segment, owner, timestamp)
                values ('apikey-test', ?, ?, '2025-01-01T00:00:00Z')""", segment, owner);
    }
}
