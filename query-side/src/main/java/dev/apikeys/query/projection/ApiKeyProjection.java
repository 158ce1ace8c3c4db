package dev.apikeys.query.projection;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Builds the read model GET answers from, and the lookup table verification starts from. The
 * handlers only collect a batch's events; before the batch commits (with the processor's token)
 * {@link ReadModelWriter} applies them all in a few statements, so a replay is not a round trip per
 * event. Idempotent: a redelivered event (the batch rolled back, or another instance took the
 * segment over) changes nothing.
 */
@Component
@ProcessingGroup(ApiKeyProjection.PROCESSOR)
public class ApiKeyProjection {

    public static final String PROCESSOR = "apikey-read-model";

    private static final String PENDING = ApiKeyProjection.class.getName() + ".pending";

    private final ReadModelWriter writer;

    ApiKeyProjection(ReadModelWriter writer) {
        this.writer = writer;
    }

    @EventHandler
    void on(ApiKeyCreated event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        pending(unitOfWork).add(new KeyEvent(event, sequence));
    }

    @EventHandler
    void on(ApiKeyDisabled event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        pending(unitOfWork).add(new KeyEvent(event, sequence));
    }

    @EventHandler
    void on(ApiKeyEnabled event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        pending(unitOfWork).add(new KeyEvent(event, sequence));
    }

    @EventHandler
    void on(ApiKeyRotated event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        pending(unitOfWork).add(new KeyEvent(event, sequence));
    }

    @EventHandler
    void on(ApiKeyDeleted event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        pending(unitOfWork).add(new KeyEvent(event, sequence));
    }

    /** Numbered in the key's usage stream, not the key's: the sequence plays no part. */
    @EventHandler
    void on(ApiKeyUsed event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        pending(unitOfWork).add(new KeyEvent(event, sequence));
    }

    @ResetHandler
    void onReset() {
        writer.deleteAll(ReadModelTables.LIVE);
    }

    /** The batch's events; the first one registers their application before the batch commits. */
    private List<KeyEvent> pending(UnitOfWork<?> unitOfWork) {
        UnitOfWork<?> batch = unitOfWork.root();
        return batch.getOrComputeResource(PENDING, key -> {
            List<KeyEvent> events = new ArrayList<>();
            batch.onPrepareCommit(committing -> writer.apply(events, ReadModelTables.LIVE));
            return events;
        });
    }
}
