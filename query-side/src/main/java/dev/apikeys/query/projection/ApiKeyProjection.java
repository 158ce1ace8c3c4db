package dev.apikeys.query.projection;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.query.replay.ProjectionTables;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Builds the read model GET answers from, and the lookup table verification starts from. The
 * handlers only collect a batch's events; before the batch commits (with the processor's token)
 * {@link ReadModelWriter} applies them all in a few statements, so a catch-up is not a round trip
 * per event, and a replay rebuilds beside the live tables (replay.ShadowRebuilds). Idempotent: a redelivered event (the batch rolled back, or another instance took the
 * segment over) changes nothing.
 */
@Component
@ProcessingGroup(ApiKeyProjection.PROCESSOR)
public class ApiKeyProjection {

    public static final String PROCESSOR = "apikey-read-model";

    private final ReadModelWriter writer;

    ApiKeyProjection(ReadModelWriter writer) {
        this.writer = writer;
    }

    @EventHandler
    void on(ApiKeyCreated event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        writer.collect(event, sequence, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyDisabled event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        writer.collect(event, sequence, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyEnabled event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        writer.collect(event, sequence, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyRotated event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        writer.collect(event, sequence, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyDeleted event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        writer.collect(event, sequence, unitOfWork);
    }

    /** Numbered in the key's usage stream, not the key's: the sequence plays no part. */
    @EventHandler
    void on(ApiKeyUsed event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        writer.collect(event, sequence, unitOfWork);
    }

    @ResetHandler
    void onReset() {
        writer.deleteAll(ProjectionTables.LIVE);
    }
}
