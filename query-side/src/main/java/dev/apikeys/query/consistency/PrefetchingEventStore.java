package dev.apikeys.query.consistency;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * Axon's embedded event store, whose tracking streams tail the storage engine themselves and tell
 * the processors as soon as events arrive (see {@link PrefetchingEventStream}), woken at once by
 * commits in this process and by those of others the store announces ({@link EventStoreNotifications}).
 */
class PrefetchingEventStore extends EmbeddedEventStore {

    private final Set<PrefetchingEventStream> openStreams = ConcurrentHashMap.newKeySet();

    PrefetchingEventStore(Builder builder) {
        super(builder);
    }

    @Override
    public TrackingEventStream openStream(TrackingToken trackingToken) {
        PrefetchingEventStream stream = new PrefetchingEventStream(trackingToken,
                after -> storageEngine().readEvents(after, false), openStreams::remove);
        openStreams.add(stream);
        return stream;
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        super.afterCommit(events);
        wakeStreams();
    }

    /** New events were committed: every open stream reads them now rather than at its next recheck. */
    void wakeStreams() {
        openStreams.forEach(PrefetchingEventStream::wake);
    }
}
