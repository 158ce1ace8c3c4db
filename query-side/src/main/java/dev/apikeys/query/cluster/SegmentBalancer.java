package dev.apikeys.query.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * Splits each processor's segments evenly between the live query-side instances. Axon's pooled
 * coordinator claims every unclaimed segment it may; this caps what it may claim at its fair share
 * (the segments divided by the live instances, rounded up), and an instance holding more than its
 * share releases the surplus for a few seconds, in which an instance with room claims it. When an
 * instance goes, the share of the others grows and they claim what it held.
 */
class SegmentBalancer {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);

    private final QueryInstances instances;
    private final JdbcTemplate jdbc;
    private final Duration releaseFor;
    private final Map<String, Integer> segmentCounts = new ConcurrentHashMap<>();
    private volatile EventProcessingConfiguration processing;

    SegmentBalancer(QueryInstances instances, JdbcTemplate jdbc, Duration releaseFor) {
        this.instances = instances;
        this.jdbc = jdbc;
        this.releaseFor = releaseFor;
    }

    /** Set once Axon's configuration exists, which itself needs this balancer. */
    void balance(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    /**
     * How many segments of the processor this instance may hold: all until the processor has
     * segments and other instances are known.
     */
    int fairShare(String processorName) {
        Integer segments = segmentCounts.get(processorName);
        if (segments == null || segments == 0) {
            return Short.MAX_VALUE;
        }
        int alive = instances.alive();
        return (segments + alive - 1) / alive;
    }

    /** Counts each processor's segments and releases what this instance holds beyond its share. */
    void rebalance() {
        jdbc.query("select processor_name, count(*) as segments from read_model.token_entry group by processor_name",
                (RowCallbackHandler) row -> segmentCounts.put(
                        row.getString("processor_name"), row.getInt("segments")));
        EventProcessingConfiguration configuration = processing;
        if (configuration == null) {
            return;
        }
        configuration.eventProcessors().values().stream()
                .filter(PooledStreamingEventProcessor.class::isInstance)
                .map(PooledStreamingEventProcessor.class::cast)
                .filter(PooledStreamingEventProcessor::isRunning)
                .forEach(this::releaseSurplus);
    }

    private void releaseSurplus(PooledStreamingEventProcessor processor) {
        List<Integer> held = processor.processingStatus().keySet().stream().sorted().toList();
        int surplus = held.size() - fairShare(processor.getName());
        for (int i = 0; i < surplus; i++) {
            int segment = held.get(held.size() - 1 - i);
            log.info("Releasing segment {} of {}: {} instances share its {} segments", segment, processor.getName(),
                    instances.alive(), segmentCounts.get(processor.getName()));
            processor.releaseSegment(segment, releaseFor.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
