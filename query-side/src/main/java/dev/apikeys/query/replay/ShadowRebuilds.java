package dev.apikeys.query.replay;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The replays of projections whose reads must keep answering in full while they are rebuilt: every
 * {@link BatchProjection} is rebuilt beside its live tables and swapped in, never reset in place.
 */
@Component
public class ShadowRebuilds {

    private final Map<String, ShadowRebuild> byProcessor;

    ShadowRebuilds(List<BatchProjection> projections, @Qualifier("eventSerializer") Serializer eventSerializer,
            TransactionTemplate transactions, JdbcTemplate jdbc, DataSource dataSource) {
        this.byProcessor = projections.stream().collect(Collectors.toMap(BatchProjection::processorName,
                projection -> new ShadowRebuild(projection, eventSerializer, transactions, jdbc, dataSource)));
    }

    /** Whether the processor's replay is a rebuild beside its live tables. */
    public boolean rebuilds(String processorName) {
        return byProcessor.containsKey(processorName);
    }

    /**
     * Starts rebuilding the processor's projection in the background.
     *
     * @return false when a rebuild of it is running already, here or in another instance: that one
     *         is the replay asked for
     */
    public boolean start(String processorName) {
        return rebuild(processorName).start();
    }

    /** Whether the processor's projection is being rebuilt, here or in any other instance. */
    public boolean running(String processorName) {
        ShadowRebuild rebuild = byProcessor.get(processorName);
        return rebuild != null && rebuild.isRunning();
    }

    private ShadowRebuild rebuild(String processorName) {
        ShadowRebuild rebuild = byProcessor.get(processorName);
        if (rebuild == null) {
            throw new IllegalArgumentException("No batch projection for " + processorName);
        }
        return rebuild;
    }
}
