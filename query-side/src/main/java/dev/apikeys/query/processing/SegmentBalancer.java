package dev.apikeys.query.processing;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Splits each processor's segments evenly between the live query-side instances. Axon's pooled
 * processor claims every free segment, so the first instance to start would process every event;
 * this caps what it may claim at its fair share (segments over live instances, rounded up), and
 * an instance holding more releases the surplus for a few seconds. The live instances are known by
 * their heartbeats in {@code read_model.query_instance}, stamped with the database's clock. While
 * an instance resets a processor ({@link ProcessorReset}), the others release all its segments.
 */
@Component
class SegmentBalancer implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);

    /** Five of each processor's token claim intervals: a released segment is free that long for another instance. */
    private static final Duration RELEASE_FOR = Duration.ofSeconds(5);

    private final JdbcTemplate jdbc;
    private final ProcessingNode node;
    private final ProcessingProperties.Cluster settings;
    /** Axon's configuration needs this balancer, so it is looked up once it exists. */
    private final ObjectProvider<EventProcessingConfiguration> processing;
    private final ObjectProvider<TokenStore> tokenStore;
    private final Map<String, Integer> segmentCounts = new ConcurrentHashMap<>();
    private volatile int alive = 1;

    SegmentBalancer(JdbcTemplate jdbc, ProcessingNode node, ProcessingProperties properties,
            ObjectProvider<EventProcessingConfiguration> processing, ObjectProvider<TokenStore> tokenStore) {
        this.jdbc = jdbc;
        this.node = node;
        this.settings = properties.cluster();
        this.processing = processing;
        this.tokenStore = tokenStore;
    }

    /** How many segments of the processor this instance may hold: all until others are known. */
    int fairShare(String processorName) {
        Integer segments = segmentCounts.get(processorName);
        if (segments == null || segments == 0) {
            return Short.MAX_VALUE;
        }
        return (segments + alive - 1) / alive;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(this::tick, settings.heartbeatInterval());
    }

    private void tick() {
        try {
            beat();
            List<String> resetElsewhere = jdbc.queryForList(
                    "select processor_name from read_model.processor_reset where requested_by <> ?", String.class,
                    node.id());
            processing.getObject().eventProcessors().values().stream()
                    .filter(PooledStreamingEventProcessor.class::isInstance)
                    .map(PooledStreamingEventProcessor.class::cast)
                    .filter(PooledStreamingEventProcessor::isRunning)
                    .forEach(processor -> release(processor, resetElsewhere.contains(processor.getName())));
        } catch (RuntimeException e) {
            // The database is unreachable, say: the next tick tries again.
            log.warn("Heartbeat failed: {}", e.toString());
        }
    }

    /** Instances alive at the last heartbeat, this one included. */
    int alive() {
        return alive;
    }

    void counted(String processorName, int segments) {
        segmentCounts.put(processorName, segments);
    }

    /** Writes this instance's heartbeat and counts the instances alive. */
    void beat() {
        double expiry = settings.instanceExpiry().toMillis() / 1000.0;
        jdbc.update("""
                insert into read_model.query_instance (node_id, heartbeat_at) values (?, now())
                on conflict (node_id) do update set heartbeat_at = now()""", node.id());
        Integer count = jdbc.queryForObject("""
                select count(*) from read_model.query_instance
                 where heartbeat_at >= now() - make_interval(secs => ?)""", Integer.class, expiry);
        alive = Math.max(1, count == null ? 1 : count);
        jdbc.update("delete from read_model.query_instance where heartbeat_at < now() - interval '1 day'");
    }

    /** Releases what the processor holds beyond its share, or everything while another instance resets it. */
    private void release(PooledStreamingEventProcessor processor, boolean all) {
        counted(processor.getName(), tokenStore.getObject().fetchSegments(processor.getName()).length);
        List<Integer> held = processor.processingStatus().keySet().stream().sorted().toList();
        int surplus = all ? held.size() : held.size() - fairShare(processor.getName());
        for (int i = 0; i < surplus; i++) {
            int segment = held.get(held.size() - 1 - i);
            log.info("Releasing segment {} of {} ({} instances alive{})", segment, processor.getName(), alive,
                    all ? ", another resets it" : "");
            processor.releaseSegment(segment, RELEASE_FOR.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A graceful stop: the others need not wait for the heartbeat to expire. */
    @PreDestroy
    void leave() {
        try {
            jdbc.update("delete from read_model.query_instance where node_id = ?", node.id());
        } catch (RuntimeException e) {
            log.warn("Could not sign off; the others count this instance gone when its heartbeat expires: {}",
                    e.toString());
        }
    }
}
