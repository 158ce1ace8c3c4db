package dev.apikeys.query.operations;

import dev.apikeys.query.consistency.ProcessorTokens;
import dev.apikeys.query.consistency.SegmentClaim;
import dev.apikeys.query.operations.ProjectionStatus.Status;
import dev.apikeys.query.replay.ShadowRebuilds;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The streaming event processors of this process and how far each got. Positions come from the
 * token table, so they hold whichever instance owns the segments; status is this instance's.
 */
@Component
class Projections {

    private final EventProcessingConfiguration processing;
    private final ProcessorTokens tokens;
    private final NamedParameterJdbcTemplate jdbc;
    private final ShadowRebuilds rebuilds;

    Projections(EventProcessingConfiguration processing, ProcessorTokens tokens, NamedParameterJdbcTemplate jdbc,
            ShadowRebuilds rebuilds) {
        this.processing = processing;
        this.tokens = tokens;
        this.jdbc = jdbc;
        this.rebuilds = rebuilds;
    }

    List<String> names() {
        return processing.eventProcessors().entrySet().stream()
                .filter(processor -> processor.getValue() instanceof StreamingEventProcessor)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
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
        List<SegmentClaim> claims = tokens.claims(name);
        Set<Long> committedGaps = committed(claims);
        long position = position(claims, committedGaps);
        Backlog backlog = backlog(position);
        return new ProjectionStatus(name, status(processor), position, backlog.head(), backlog.events(),
                tokens.replaying(name) || rebuilds.running(name),
                claims.stream().map(claim -> new ProjectionStatus.Segment(claim.segment(), claim.owner(),
                        claim.position(committedGaps))).toList());
    }

    long lagEvents(String name) {
        List<SegmentClaim> claims = tokens.claims(name);
        return backlog(position(claims, committed(claims))).events();
    }

    /** Up to where every segment applied every committed event; -1 before the first, or without segments. */
    private static long position(List<SegmentClaim> claims, Set<Long> committedGaps) {
        return claims.stream().mapToLong(claim -> claim.position(committedGaps)).min().orElse(-1);
    }

    /** Which of the segments' gaps are committed events now; the others never will be. */
    private Set<Long> committed(List<SegmentClaim> claims) {
        Set<Long> gaps = new HashSet<>();
        claims.forEach(claim -> gaps.addAll(claim.gaps()));
        if (gaps.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList(
                "select global_index from event_store.domain_event_entry where global_index in (:gaps)",
                Map.of("gaps", gaps), Long.class));
    }

    private static Status status(StreamingEventProcessor processor) {
        if (processor.isError()) {
            return Status.ERROR;
        }
        return processor.isRunning() ? Status.RUNNING : Status.STOPPED;
    }

    /**
     * The head and the events after {@code position} in one statement, so both describe the same
     * committed state. The count is of events, not of global indexes: an index that a rolled back
     * transaction took is never an event, and head - position would count it.
     */
    private Backlog backlog(long position) {
        return jdbc.queryForObject("""
                select (select coalesce(max(global_index), -1) from event_store.domain_event_entry) as head,
                       (select count(*) from event_store.domain_event_entry where global_index > :position) as events
                """, Map.of("position", position),
                (row, rowNumber) -> new Backlog(row.getLong("head"), row.getLong("events")));
    }

    private record Backlog(long head, long events) {
    }
}
