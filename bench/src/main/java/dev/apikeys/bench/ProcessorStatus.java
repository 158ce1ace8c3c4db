package dev.apikeys.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One entry of {@code GET /actuator/projections}.
 *
 * @param segments each segment's position and the instance that claims it; empty from a service
 *        that does not list them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ProcessorStatus(
        @JsonProperty("name") String name,
        @JsonProperty("status") String status,
        @JsonProperty("position") long position,
        @JsonProperty("head") long head,
        @JsonProperty("lag_events") long lagEvents,
        @JsonProperty("replaying") boolean replaying,
        @JsonProperty("segments") List<SegmentStatus> segments) {

    ProcessorStatus {
        segments = segments == null ? List.of() : List.copyOf(segments);
    }

    /** Where the processor stands, for a message that says why it is behind. */
    String describePosition() {
        return "position " + position + " of head " + head + (segments.isEmpty() ? "" : ", segments "
                + segments.stream().map(segment -> segment.segment() + " at " + segment.position() + " by "
                        + (segment.owner() == null ? "nobody" : segment.owner()))
                        .collect(Collectors.joining(", ")));
    }

    /** @param owner the node id of the instance claiming the segment; null for nobody */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SegmentStatus(
            @JsonProperty("segment") int segment,
            @JsonProperty("owner") String owner,
            @JsonProperty("position") long position) {
    }
}
