package dev.apikeys.query.processing;

import java.util.List;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;

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
}
