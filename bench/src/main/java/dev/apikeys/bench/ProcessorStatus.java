package dev.apikeys.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of {@code GET /actuator/projections}. */
@JsonIgnoreProperties(ignoreUnknown = true)
record ProcessorStatus(
        @JsonProperty("name") String name,
        @JsonProperty("status") String status,
        @JsonProperty("position") long position,
        @JsonProperty("head") long head,
        @JsonProperty("lag_events") long lagEvents,
        @JsonProperty("replaying") boolean replaying) {
}
