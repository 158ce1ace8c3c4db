package dev.apikeys.query.processing;

import java.util.List;
import java.util.Set;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;

/**
 * How far something that applies the store's events got, as this process knows it: a processor's
 * segments, or the keys held for verification. {@link CatchUp} waits on it.
 */
public interface Positions {

    /**
     * @param segment the part of the store's events it applies
     * @param token how far it applied them; null for nothing yet
     * @param signalled whether its moving wakes {@link #awaitChange}: false for a position this
     *        process only reads, such as another instance's segment in the token store
     */
    record Position(Segment segment, TrackingToken token, boolean signalled) {

        /** Of something that applies every event, and tells when it moved. */
        public static Position whole(TrackingToken token) {
            return new Position(Segment.ROOT_SEGMENT, token, true);
        }
    }

    /** @param mark the moment they were taken at, to wait for a change from */
    record Snapshot(long mark, List<Position> positions) {
    }

    Snapshot now();

    /** Returns once the positions may have moved since {@code mark}, or after {@code nanos}. */
    void awaitChange(long mark, long nanos) throws InterruptedException;

    /** The global index a token reached, -1 for none; a replay's is what it applied for sure, its lower bound. */
    static long indexOf(TrackingToken token) {
        TrackingToken applied = token == null ? null : WrappedToken.unwrapLowerBound(token);
        return applied == null ? -1 : applied.position().orElse(-1);
    }

    /** The indexes below its own that a token passed as gaps: appends in flight, or rolled back. */
    static Set<Long> gapsOf(TrackingToken token) {
        TrackingToken applied = token == null ? null : WrappedToken.unwrapLowerBound(token);
        return applied instanceof GapAwareTrackingToken gapAware ? gapAware.getGaps() : Set.of();
    }
}
