package dev.apikeys.query.analytics;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SortedMap;
import java.util.TreeMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Counts each owner's key activity per UTC day of the event's own time. A count is not idempotent,
 * so it is exactly once by being in the processor's transaction: a batch's counts are summed in
 * memory per (owner, day) and written just before the batch commits, with its token. A batch that
 * rolls back (and is redelivered) wrote nothing; a batch that committed is never redelivered. One
 * upsert per (owner, day) of a batch keeps a replay of millions of events quick.
 */
@Component
@ProcessingGroup(ActivityCounter.PROCESSOR)
class ActivityCounter {

    static final String PROCESSOR = "apikey-analytics";

    private static final String INCREMENTS = ActivityCounter.class.getName() + ".increments";

    private final KeyActivityTable table;

    ActivityCounter(KeyActivityTable table) {
        this.table = table;
    }

    @EventHandler
    void on(ApiKeyCreated event, UnitOfWork<?> unitOfWork) {
        count(event.userId(), event.createdAt(), Activity.CREATED, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyDisabled event, UnitOfWork<?> unitOfWork) {
        count(event.userId(), event.disabledAt(), Activity.DISABLED, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyEnabled event, UnitOfWork<?> unitOfWork) {
        count(event.userId(), event.enabledAt(), Activity.ENABLED, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyDeleted event, UnitOfWork<?> unitOfWork) {
        count(event.userId(), event.deletedAt(), Activity.DELETED, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyRotated event, UnitOfWork<?> unitOfWork) {
        count(event.userId(), event.rotatedAt(), Activity.ROTATED, unitOfWork);
    }

    /** One per usage fact, that is per key and flush interval with verifications, not per verification. */
    @EventHandler
    void on(ApiKeyUsed event, UnitOfWork<?> unitOfWork) {
        count(event.userId(), event.lastUsedAt(), Activity.USED, unitOfWork);
    }

    /** Counts start again from nothing; the replay that follows rebuilds them. */
    @ResetHandler
    void onReset() {
        table.deleteAll();
    }

    private void count(String userId, Instant at, Activity activity, UnitOfWork<?> unitOfWork) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        increments(unitOfWork.root()).compute(new OwnerDay(userId, day),
                (row, counted) -> (counted == null ? DailyActivity.none(day) : counted).plus(activity));
    }

    /** The batch's counts; the first one registers their write before the batch commits. */
    private SortedMap<OwnerDay, DailyActivity> increments(UnitOfWork<?> batch) {
        return batch.getOrComputeResource(INCREMENTS, key -> {
            SortedMap<OwnerDay, DailyActivity> increments = new TreeMap<>();
            batch.onPrepareCommit(committing -> table.add(increments));
            return increments;
        });
    }
}
