package dev.apikeys.query.analytics;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Counts each owner's key activity per UTC day of the event's own time. The handlers only collect
 * a batch's events; just before the batch commits (with the processor's token) {@link KeyActivityTable}
 * counts them all in a few statements, each event once, so a catch-up or a replay of millions of
 * events is quick and a replay can rebuild beside the live counts (replay.ShadowRebuilds).
 */
@Component
@ProcessingGroup(ActivityCounter.PROCESSOR)
class ActivityCounter {

    static final String PROCESSOR = "apikey-analytics";

    private final KeyActivityTable table;

    ActivityCounter(KeyActivityTable table) {
        this.table = table;
    }

    @EventHandler
    void on(ApiKeyCreated event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        table.collect(event, sequence, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyDisabled event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        table.collect(event, sequence, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyEnabled event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        table.collect(event, sequence, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyDeleted event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        table.collect(event, sequence, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyRotated event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        table.collect(event, sequence, unitOfWork);
    }

    /** One per usage fact, that is per key and flush interval with verifications, not per verification. */
    @EventHandler
    void on(ApiKeyUsed event, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        table.collect(event, sequence, unitOfWork);
    }

    /** Counts start again from nothing; the replay that follows rebuilds them. */
    @ResetHandler
    void onReset() {
        table.deleteAll();
    }
}
