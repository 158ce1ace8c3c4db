package dev.apikeys.query.processing;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One processor as {@code GET /actuator/projections} shows it. Named explicitly: the actuator
 * writes its answers with a mapper of its own, which knows nothing of the API's snake_case.
 *
 * @param position the global index up to which every segment has applied every event; -1 for none
 * @param head the event store's highest global index; -1 for an empty store
 * @param lagEvents the committed events after {@code position}
 * @param replaying whether any segment, on whichever instance, is replaying
 * @param segments each segment, the instance that claims it and its position: how the instances
 *        share the processor
 */
record ProjectionStatus(
        @JsonProperty("name") String name,
        @JsonProperty("status") Status status,
        @JsonProperty("position") long position,
        @JsonProperty("head") long head,
        @JsonProperty("lag_events") long lagEvents,
        @JsonProperty("replaying") boolean replaying,
        @JsonProperty("segments") List<Segment> segments) {

    /** @param owner the node id ({@code apikeys.node-id}) of the instance claiming it; null for nobody */
    record Segment(@JsonProperty("segment") int segment, @JsonProperty("owner") String owner,
            @JsonProperty("position") long position) {
    }

    enum Status {
        @JsonProperty("running") RUNNING,
        @JsonProperty("stopped") STOPPED,
        @JsonProperty("error") ERROR
    }
}
