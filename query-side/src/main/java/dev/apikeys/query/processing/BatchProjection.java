package dev.apikeys.query.processing;

import dev.apikeys.events.ApiKeyEvent;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * A projection that applies a whole batch of events to its tables in a few statements, idempotently:
 * an event it has applied already changes nothing. That is what lets it be rebuilt beside its live
 * tables ({@link Rebuilds}): the processor keeps the live tables current meanwhile, and after the
 * swap applies again, without effect, what the rebuild covered.
 */
public interface BatchProjection {

    /** The suffix of the live tables' names: none. */
    String LIVE = "";

    /** The event processor whose handlers feed this projection. */
    String processorName();

    /**
     * Its tables in schema read_model, in the order a batch first touches them: the swap locks them
     * in this order, so it never deadlocks with a batch in flight.
     */
    List<String> tables();

    /** Applies the events, in their order, to the copy of the tables whose names end in {@code suffix}. */
    void apply(List<SequencedEvent> events, String suffix);

    /** Empties the copy of the tables whose names end in {@code suffix}. */
    void deleteAll(String suffix);

    /**
     * Adds an event to its batch; the first one of a batch registers the batch's application to the
     * live tables just before the batch commits, with the processor's token.
     */
    @EventHandler
    default void on(ApiKeyEvent event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        UnitOfWork<?> batch = unitOfWork.root();
        List<SequencedEvent> events = batch.getOrComputeResource(BatchProjection.class.getName() + "/"
                + processorName(), key -> {
                    List<SequencedEvent> collected = new ArrayList<>();
                    batch.onPrepareCommit(committing -> apply(collected, LIVE));
                    return collected;
                });
        events.add(new SequencedEvent(event, sequence));
    }

    /** A reset of the processor through Axon (not a rebuild) starts from empty tables, which its replay fills. */
    @ResetHandler
    default void onReset() {
        deleteAll(LIVE);
    }
}
