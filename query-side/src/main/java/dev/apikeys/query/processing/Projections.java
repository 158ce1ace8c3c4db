package dev.apikeys.query.processing;

import static dev.apikeys.query.processing.Positions.gapsOf;
import static dev.apikeys.query.processing.Positions.indexOf;

import dev.apikeys.query.processing.ProcessorTokens.Claim;
import dev.apikeys.query.processing.ProjectionStatus.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.stereotype.Component;

/**
 * The streaming event processors of this process and how far each got, also as gauge
 * {@code apikeys.projection.lag.events{processor}}, computed when scraped. Positions come from the
 * token store, so they hold whichever instance owns the segments; status is this instance's.
 */
@Component
class Projections implements MeterBinder {

    static final String LAG_GAUGE = "apikeys.projection.lag.events";

    private final EventProcessingConfiguration processing;
    private final ProcessorTokens tokens;
    private final EventStoreIndex index;
    private final Rebuilds rebuilds;

    Projections(EventProcessingConfiguration processing, ProcessorTokens tokens, EventStoreIndex index,
            Rebuilds rebuilds) {
        this.processing = processing;
        this.tokens = tokens;
        this.index = index;
        this.rebuilds = rebuilds;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String name : names()) {
            Gauge.builder(LAG_GAUGE, this, projections -> projections.lagEvents(name)).tag("processor", name)
                    .description("Committed events the processor has not applied yet").register(registry);
        }
    }

    List<String> names() {
        return processing.eventProcessors().entrySet().stream()
                .filter(processor -> processor.getValue() instanceof StreamingEventProcessor)
                .map(Map.Entry::getKey).sorted().toList();
    }

    Optional<StreamingEventProcessor> processor(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class);
    }

    List<ProjectionStatus> statuses() {
        return names().stream().map(this::status).toList();
    }

    ProjectionStatus status(String name) {
        StreamingEventProcessor processor = processor(name)
                .orElseThrow(() -> new IllegalArgumentException("No streaming processor " + name));
        List<Claim> claims = tokens.claims(name);
        Set<Long> committedGaps = committed(claims);
        long position = position(claims, committedGaps);
        EventStoreIndex.Backlog backlog = index.backlog(position);
        Status status = processor.isError() ? Status.ERROR : processor.isRunning() ? Status.RUNNING : Status.STOPPED;
        return new ProjectionStatus(name, status, position, backlog.head(), backlog.events(),
                claims.stream().anyMatch(Claim::replaying) || rebuilds.running(name),
                claims.stream().map(claim -> new ProjectionStatus.Segment(claim.segment().getSegmentId(),
                        claim.owner(), position(claim.token(), committedGaps))).toList());
    }

    long lagEvents(String name) {
        List<Claim> claims = tokens.claims(name);
        return index.backlog(position(claims, committed(claims))).events();
    }

    /** Up to where every segment applied every committed event; -1 before the first, or without segments. */
    private static long position(List<Claim> claims, Set<Long> committedGaps) {
        return claims.stream().mapToLong(claim -> position(claim.token(), committedGaps)).min().orElse(-1);
    }

    /**
     * Up to where a segment applied every committed event: its index, or below the first of its gaps
     * that is a committed event now. A gap nothing was committed in (a rolled back append) holds
     * nothing back.
     */
    private static long position(TrackingToken token, Set<Long> committedGaps) {
        return gapsOf(token).stream().filter(committedGaps::contains).mapToLong(gap -> gap - 1)
                .reduce(indexOf(token), Math::min);
    }

    /** Which of the segments' gaps are committed events now; the others never will be. */
    private Set<Long> committed(List<Claim> claims) {
        Set<Long> gaps = new HashSet<>();
        claims.forEach(claim -> gaps.addAll(gapsOf(claim.token())));
        return gaps.isEmpty() ? Set.of() : index.head(gaps).committed();
    }
}
