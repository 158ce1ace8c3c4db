package dev.apikeys.query.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.query.ReadModelDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/** Heartbeats on a real PostgreSQL with the read_model migrations applied. */
class SegmentBalancerTest {

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;

    private final SegmentBalancer here = balancer("here");

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
    }

    @Test
    void aliveCountsTheInstancesWhoseHeartbeatIsRecent() {
        heartbeat("there", 1);
        heartbeat("long-gone", 60);

        here.beat();

        assertThat(here.alive()).isEqualTo(2);
    }

    @Test
    void anInstanceThatLeavesIsNotCountedAnyMore() {
        SegmentBalancer there = balancer("there");
        there.beat();
        here.beat();
        assertThat(here.alive()).isEqualTo(2);

        there.leave();
        here.beat();

        assertThat(here.alive()).isEqualTo(1);
    }

    @Test
    void theFairShareIsTheSegmentsDividedByTheInstancesAliveRoundedUp() {
        here.counted("apikey-test", 4);
        assertThat(here.fairShare("apikey-test")).isEqualTo(4);

        heartbeat("there", 1);
        heartbeat("elsewhere", 1);
        here.beat();

        assertThat(here.fairShare("apikey-test")).isEqualTo(2);
        assertThat(here.fairShare("apikey-not-started")).as("all, until its segments are known")
                .isEqualTo(Short.MAX_VALUE);
    }

    private static SegmentBalancer balancer(String node) {
        StaticListableBeanFactory none = new StaticListableBeanFactory();
        return new SegmentBalancer(jdbc, new ProcessingNode(node), new ProcessingProperties("",
                new ProcessingProperties.Cluster(Duration.ofSeconds(1), Duration.ofSeconds(5)),
                new ProcessingProperties.ReadYourWrites(Duration.ofSeconds(5)),
                new ProcessingProperties.Statistics(Duration.ofSeconds(2))),
                none.getBeanProvider(org.axonframework.config.EventProcessingConfiguration.class),
                none.getBeanProvider(org.axonframework.eventhandling.tokenstore.TokenStore.class));
    }

    private static void heartbeat(String node, int secondsAgo) {
        jdbc.update("insert into read_model.query_instance (node_id, heartbeat_at) values (?, now() - make_interval(secs => ?))",
                node, secondsAgo);
    }
}
