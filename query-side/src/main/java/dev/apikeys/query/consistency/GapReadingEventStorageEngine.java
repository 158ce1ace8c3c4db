package dev.apikeys.query.consistency;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;

/**
 * Axon's JPA storage engine, reading tracked events with a query PostgreSQL answers from the
 * global index alone. Axon's own asks for "after the position OR in the gaps" in one query, which
 * PostgreSQL answers by walking the index from the first event and filtering: with any gap in the
 * token (an append that rolled back, a commit still in flight) every batch cost time in proportion
 * to the position, 600 ms per 100 events half way through a million. Here the gaps and what follows
 * the position are two queries, each an index lookup or range scan that stops at the batch size.
 * Tokens are computed as Axon's engine computes them: a gap is kept up to {@link #MAX_GAP_OFFSET}
 * behind the position and while the events after it are younger than {@link #GAP_TIMEOUT_MILLIS};
 * older gaps are dropped once there are more than {@link #GAP_CLEANING_THRESHOLD}.
 */
class GapReadingEventStorageEngine extends JpaEventStorageEngine {

    static final int MAX_GAP_OFFSET = 10_000;
    static final long GAP_TIMEOUT_MILLIS = 60_000;
    static final int GAP_CLEANING_THRESHOLD = 250;
    private static final long LOWEST_GLOBAL_INDEX = 1;
    private static final String COLUMNS = "SELECT e.globalIndex, e.type, e.aggregateIdentifier, e.sequenceNumber, "
            + "e.eventIdentifier, e.timeStamp, e.payloadType, e.payloadRevision, e.payload, e.metaData "
            + "FROM DomainEventEntry e ";

    private final TransactionManager transactionManager;

    GapReadingEventStorageEngine(Builder builder, TransactionManager transactionManager) {
        super(builder);
        this.transactionManager = transactionManager;
    }

    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        if (lastToken != null && !(lastToken instanceof GapAwareTrackingToken)) {
            throw new IllegalArgumentException("Token " + lastToken + " is not a GapAwareTrackingToken");
        }
        GapAwareTrackingToken previous = withOldGapsDropped((GapAwareTrackingToken) lastToken);
        List<Object[]> rows = transactionManager.fetchInTransaction(() -> {
            List<Object[]> found = new ArrayList<>();
            if (previous != null && !previous.getGaps().isEmpty()) {
                found.addAll(entityManager()
                        .createQuery(COLUMNS + "WHERE e.globalIndex IN :gaps", Object[].class)
                        .setParameter("gaps", previous.getGaps())
                        .getResultList());
            }
            found.addAll(entityManager()
                    .createQuery(COLUMNS + "WHERE e.globalIndex > :position ORDER BY e.globalIndex ASC",
                            Object[].class)
                    .setParameter("position", previous == null ? -1L : previous.getIndex())
                    .setMaxResults(batchSize)
                    .getResultList());
            found.sort(Comparator.comparingLong(row -> (Long) row[0]));
            return found;
        });
        List<TrackedEventData<?>> events = new ArrayList<>(rows.size());
        GapAwareTrackingToken token = previous;
        Instant gapTimeout = gapTimeoutThreshold();
        for (Object[] row : rows) {
            long globalIndex = (Long) row[0];
            String aggregateIdentifier = (String) row[2];
            String eventIdentifier = (String) row[4];
            GenericDomainEventEntry<?> event = new GenericDomainEventEntry<>((String) row[1],
                    eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier, (Long) row[3],
                    eventIdentifier, row[5], (String) row[6], (String) row[7], row[8], row[9]);
            boolean keepGaps = event.getTimestamp().isAfter(gapTimeout);
            if (token == null) {
                SortedSet<Long> before = new TreeSet<>();
                for (long skipped = Math.min(LOWEST_GLOBAL_INDEX, globalIndex); keepGaps && skipped < globalIndex;
                        skipped++) {
                    before.add(skipped);
                }
                token = GapAwareTrackingToken.newInstance(globalIndex, before);
            } else {
                token = token.advanceTo(globalIndex, MAX_GAP_OFFSET);
                if (!keepGaps) {
                    token = token.withGapsTruncatedAt(globalIndex);
                }
            }
            events.add(new TrackedDomainEventData<>(token, event));
        }
        return events;
    }

    /**
     * Many gaps: drops those no event will fill any more, the ones followed by events older than
     * the gap timeout, from the oldest up to the first event that is younger or fills a gap.
     */
    private GapAwareTrackingToken withOldGapsDropped(GapAwareTrackingToken token) {
        if (token == null || token.getGaps().size() <= GAP_CLEANING_THRESHOLD) {
            return token;
        }
        List<Object[]> stored = transactionManager.fetchInTransaction(() -> entityManager()
                .createQuery("SELECT e.globalIndex, e.timeStamp FROM DomainEventEntry e "
                        + "WHERE e.globalIndex >= :first AND e.globalIndex <= :last ORDER BY e.globalIndex ASC",
                        Object[].class)
                .setParameter("first", token.getGaps().first())
                .setParameter("last", token.getGaps().last() + 1)
                .getResultList());
        Instant gapTimeout = gapTimeoutThreshold();
        GapAwareTrackingToken cleaned = token;
        for (Object[] row : stored) {
            long globalIndex = (Long) row[0];
            if (cleaned.getGaps().contains(globalIndex)
                    || DateTimeUtils.parseInstant(row[1].toString()).isAfter(gapTimeout)) {
                break;
            }
            if (cleaned.getGaps().contains(globalIndex - 1)) {
                cleaned = cleaned.withGapsTruncatedAt(globalIndex);
            }
        }
        return cleaned;
    }

    private static Instant gapTimeoutThreshold() {
        return GenericEventMessage.clock.instant().minus(GAP_TIMEOUT_MILLIS, ChronoUnit.MILLIS);
    }
}
