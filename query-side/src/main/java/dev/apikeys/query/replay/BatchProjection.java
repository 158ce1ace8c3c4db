package dev.apikeys.query.replay;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * A projection that applies a whole batch of events to its tables in a few statements, idempotently:
 * an event it has applied already changes nothing. That is what lets {@link ShadowRebuilds} rebuild
 * it beside its live tables: the processor keeps the live tables current meanwhile, and after the
 * swap applies again, without effect, what the rebuild covered.
 */
public interface BatchProjection {

    /** The event processor whose handlers feed this projection. */
    String processorName();

    /**
     * Its tables in schema read_model, in the order a batch first touches them: the swap locks them
     * in this order, so it never deadlocks with a batch in flight.
     */
    List<String> tables();

    /** Applies the events, in their order, to one copy of the tables. */
    void apply(List<KeyEvent> events, ProjectionTables tables);

    /**
     * Adds an event to its batch; the first one of a batch registers the batch's application to the
     * live tables just before the batch commits, with the processor's token.
     */
    default void collect(Object payload, long sequence, UnitOfWork<?> unitOfWork) {
        UnitOfWork<?> batch = unitOfWork.root();
        List<KeyEvent> events = batch.getOrComputeResource(BatchProjection.class.getName() + "/" + processorName(),
                key -> {
                    List<KeyEvent> collected = new ArrayList<>();
                    batch.onPrepareCommit(committing -> apply(collected, ProjectionTables.LIVE));
                    return collected;
                });
        events.add(new KeyEvent(payload, sequence));
    }
}
