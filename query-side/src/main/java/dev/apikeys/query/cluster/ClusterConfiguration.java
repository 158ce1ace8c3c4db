package dev.apikeys.query.cluster;

import dev.apikeys.query.ProcessingNode;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Several query-side instances on one database: heartbeats, the fair share of segments each
 * processor's coordinator may claim, and a tick that keeps both current.
 */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    /** Each processor's token-claim-interval (application.yml): a released segment is free for five of them. */
    private static final Duration RELEASE_FOR = Duration.ofSeconds(5);

    @Bean
    QueryInstances queryInstances(JdbcTemplate jdbc, ProcessingNode node,
            @Value("${apikeys.cluster.instance-expiry:5s}") Duration expiry) {
        return new QueryInstances(jdbc, node, expiry);
    }

    /** Released segments stay free long enough for another instance, claiming every second, to take them. */
    @Bean
    SegmentBalancer segmentBalancer(QueryInstances instances, JdbcTemplate jdbc) {
        return new SegmentBalancer(instances, jdbc, RELEASE_FOR);
    }

    @Bean
    ConfigurerModule processorsClaimTheirFairShare(SegmentBalancer balancer) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessorConfiguration((configuration, builder) -> builder
                        .maxSegmentProvider(balancer::fairShare)));
    }

    @Bean
    ClusterTick clusterTick(QueryInstances instances, SegmentBalancer balancer,
            EventProcessingConfiguration processing,
            @Value("${apikeys.cluster.heartbeat-interval:1s}") Duration interval) {
        balancer.balance(processing);
        return new ClusterTick(instances, balancer, interval);
    }

    /** Beats and rebalances every interval, from the start of the context to its end. */
    static final class ClusterTick implements SmartLifecycle {

        private static final Logger log = LoggerFactory.getLogger(ClusterTick.class);
        private static final long LEAVE_WAIT_MILLIS = 2000;

        private final QueryInstances instances;
        private final SegmentBalancer balancer;
        private final Duration interval;
        private ScheduledExecutorService ticker;

        ClusterTick(QueryInstances instances, SegmentBalancer balancer, Duration interval) {
            this.instances = instances;
            this.balancer = balancer;
            this.interval = interval;
        }

        /** Before the processors start, so no other instance takes their first claims for a dead node's. */
        @Override
        public int getPhase() {
            return Integer.MIN_VALUE;
        }

        @Override
        public synchronized void start() {
            tick();
            ticker = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "query-instance-heartbeat");
                thread.setDaemon(true);
                return thread;
            });
            ticker.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void tick() {
            try {
                instances.beat();
                balancer.rebalance();
            } catch (RuntimeException e) {
                // The database is unreachable, say: the next tick tries again.
                log.warn("Heartbeat failed: {}", e.toString());
            }
        }

        /**
         * Signs off, so the others need not wait for the heartbeat to expire; but never holds up a
         * shutdown for long, since the database may be what is gone.
         */
        @Override
        public synchronized void stop() {
            if (ticker != null) {
                ticker.shutdownNow();
                ticker = null;
                Thread leaving = new Thread(() -> {
                    try {
                        instances.leave();
                    } catch (RuntimeException e) {
                        log.warn("Could not sign off; the others take over when the heartbeat expires: {}",
                                e.toString());
                    }
                }, "query-instance-leave");
                leaving.setDaemon(true);
                leaving.start();
                try {
                    leaving.join(LEAVE_WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public synchronized boolean isRunning() {
            return ticker != null;
        }
    }
}
