package dev.apikeys.query.consistency;

import java.util.Set;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;

/**
 * How far one segment of a processor got, as committed in the token store: every event up to
 * {@code index} is applied except those in {@code gaps} (global indexes that were not committed
 * when the processor passed them, and may be committed since).
 */
record SegmentPosition(Segment segment, long index, Set<Long> gaps) {

    SegmentPosition {
        gaps = Set.copyOf(gaps);
    }

    static SegmentPosition of(Segment segment, TrackingToken token) {
        // A replay wraps the position; what is applied for sure is its lower bound.
        TrackingToken position = token == null ? null : WrappedToken.unwrapLowerBound(token);
        if (position == null) {
            return new SegmentPosition(segment, -1, Set.of());
        }
        if (position instanceof GapAwareTrackingToken gapAware) {
            return new SegmentPosition(segment, gapAware.getIndex(), gapAware.getGaps());
        }
        return new SegmentPosition(segment, position.position().orElse(-1), Set.of());
    }

    /** The highest global index up to which every committed event is applied: below its first gap. */
    long appliedUpTo() {
        return gaps.stream().mapToLong(gap -> gap - 1).reduce(index, Math::min);
    }

    boolean hasApplied(long globalIndex) {
        return globalIndex <= index && !gaps.contains(globalIndex);
    }

    boolean isResponsibleFor(StoredEvent event) {
        return segment.matches(event.sequenceIdentifier());
    }
}
