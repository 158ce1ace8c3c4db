package dev.apikeys.query.consistency;

import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * Axon's embedded event store, whose streams tell the processors as soon as events arrive (see
 * {@link PrefetchingEventStream}) instead of leaving them to find out on their next poll.
 */
class PrefetchingEventStore extends EmbeddedEventStore {

    PrefetchingEventStore(Builder builder) {
        super(builder);
    }

    @Override
    public TrackingEventStream openStream(TrackingToken trackingToken) {
        return new PrefetchingEventStream(super.openStream(trackingToken));
    }
}
