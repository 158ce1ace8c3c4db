package dev.apikeys.query.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.junit.jupiter.api.Test;

class CatchUpTest {

    private static final Segment ONLY = Segment.ROOT_SEGMENT;
    private static final Segment[] HALVES = Segment.computeSegments(0, 1);
    /** Aggregate ids whose hash codes are even (segment 0 of 2) and odd (segment 1 of 2). */
    private static final String EVEN = "b";
    private static final String ODD = "a";

    @Test
    void segmentsCoveringEverySequencePastTheHeadWithoutGapsBelowItAreCaughtUpWithoutAskingTheStore() {
        assertThat(CatchUp.isPastWithoutGaps(List.of(new SegmentPosition(ONLY, 10, Set.of())), 10)).isTrue();
        assertThat(CatchUp.isPastWithoutGaps(List.of(new SegmentPosition(HALVES[0], 12, Set.of(11L)),
                new SegmentPosition(HALVES[1], 10, Set.of())), 10)).as("a gap above the head").isTrue();
    }

    @Test
    void aSegmentBehindTheHeadAGapBelowItOrAMissingSegmentNeedTheStoreToTell() {
        assertThat(CatchUp.isPastWithoutGaps(List.of(new SegmentPosition(HALVES[0], 10, Set.of()),
                new SegmentPosition(HALVES[1], 9, Set.of())), 10)).as("behind").isFalse();
        assertThat(CatchUp.isPastWithoutGaps(List.of(new SegmentPosition(ONLY, 10, Set.of(10L))), 10))
                .as("a gap at the head").isFalse();
        assertThat(CatchUp.isPastWithoutGaps(List.of(new SegmentPosition(HALVES[0], 10, Set.of())), 10))
                .as("half the sequences without a segment").isFalse();
        assertThat(CatchUp.isPastWithoutGaps(List.of(), 10)).as("no segments yet").isFalse();
    }

    @Test
    void aTokenAtTheHeadWithoutGapsHasAppliedEverything() {
        List<SegmentPosition> positions = List.of(new SegmentPosition(ONLY, 10, Set.of()));

        assertThat(CatchUp.hasApplied(positions, candidates(positions, 10, event(10, EVEN)), 10L)).isTrue();
    }

    @Test
    void aTokenBehindTheHeadHasNotAppliedTheEventsAfterIt() {
        List<SegmentPosition> positions = List.of(new SegmentPosition(ONLY, 9, Set.of()));

        assertThat(CatchUp.hasApplied(positions, candidates(positions, 10, event(10, EVEN)), 10L)).isFalse();
    }

    @Test
    void aGapThatIsCommittedNowIsNotApplied() {
        // The processor passed index 5 while its transaction was still open; it has committed since.
        List<SegmentPosition> positions = List.of(new SegmentPosition(ONLY, 10, Set.of(5L)));

        assertThat(CatchUp.hasApplied(positions, candidates(positions, 10, event(5, EVEN)), 10L)).isFalse();
    }

    @Test
    void aGapThatNeverCommittedDoesNotHoldTheReadBack() {
        // Index 5 was rolled back: the store has no such event, so nothing is missing.
        List<SegmentPosition> positions = List.of(new SegmentPosition(ONLY, 10, Set.of(5L)));

        assertThat(CatchUp.hasApplied(positions, candidates(positions, 10), 10L)).isTrue();
    }

    @Test
    void gapsAboveTheHeadDoNotMatter() {
        List<SegmentPosition> positions = List.of(new SegmentPosition(ONLY, 15, Set.of(12L)));

        // Committed after the head was read: not the read's concern, even if offered.
        assertThat(CatchUp.hasApplied(positions, List.of(event(12, EVEN)), 10L)).isTrue();
    }

    @Test
    void aSegmentOnlyNeedsTheEventsItIsResponsibleFor() {
        assertThat(HALVES[0].matches(EVEN)).isTrue();
        assertThat(HALVES[1].matches(ODD)).isTrue();
        // Segment 0 stored no token since its last own event; event 7 is segment 1's.
        List<SegmentPosition> positions = List.of(
                new SegmentPosition(HALVES[0], 5, Set.of()), new SegmentPosition(HALVES[1], 7, Set.of()));

        assertThat(CatchUp.hasApplied(positions, candidates(positions, 7, event(6, ODD), event(7, ODD)), 7L))
                .isTrue();
        assertThat(CatchUp.hasApplied(positions, candidates(positions, 7, event(6, EVEN), event(7, ODD)), 7L))
                .isFalse();
    }

    @Test
    void anEventNoSegmentIsResponsibleForIsNotApplied() {
        // The table lacks segment 1 of 2 (a row deleted by hand, say): nothing vouches for its events.
        List<SegmentPosition> withoutSegmentOne = List.of(new SegmentPosition(HALVES[0], 5, Set.of()));
        List<SegmentPosition> complete = List.of(
                new SegmentPosition(HALVES[0], 5, Set.of()), new SegmentPosition(HALVES[1], 7, Set.of()));

        assertThat(CatchUp.hasApplied(withoutSegmentOne, candidates(withoutSegmentOne, 7, event(7, ODD)), 7L))
                .isFalse();
        assertThat(CatchUp.hasApplied(complete, candidates(complete, 7, event(7, ODD)), 7L)).isTrue();
    }

    @Test
    void aProcessorWithoutTokensHasAppliedNothingUnlessTheStoreIsEmpty() {
        assertThat(CatchUp.hasApplied(List.of(), List.of(event(0, EVEN)), 0L)).isFalse();
        assertThat(CatchUp.hasApplied(List.of(), List.of(), null)).isTrue();
    }

    @Test
    void positionsComeFromGapAwareTokensAndTheLowerBoundOfAReplay() {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(10, Set.of(4L, 7L));
        GapAwareTrackingToken replayedUpTo = GapAwareTrackingToken.newInstance(3, Set.of());

        assertThat(SegmentPosition.of(ONLY, token)).isEqualTo(new SegmentPosition(ONLY, 10, Set.of(4L, 7L)));
        assertThat(SegmentPosition.of(ONLY, null)).isEqualTo(new SegmentPosition(ONLY, -1, Set.of()));
        assertThat(SegmentPosition.of(ONLY, ReplayToken.createReplayToken(token, replayedUpTo)).index())
                .isEqualTo(3);
    }

    /** What the event store query selects by the positions: the committed events that may be missing. */
    private static List<StoredEvent> candidates(List<SegmentPosition> positions, long head, StoredEvent... stored) {
        long after = CatchUp.slowestIndex(positions);
        Set<Long> gaps = CatchUp.gaps(positions);
        return List.of(stored).stream()
                .filter(event -> event.globalIndex() <= head)
                .filter(event -> event.globalIndex() > after || gaps.contains(event.globalIndex()))
                .toList();
    }

    private static StoredEvent event(long globalIndex, String aggregateId) {
        return new StoredEvent(globalIndex, aggregateId);
    }
}
