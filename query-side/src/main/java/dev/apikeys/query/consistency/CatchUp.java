package dev.apikeys.query.consistency;

import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Whether a processor has applied every event committed up to a head: the pure part of
 * read-your-writes, kept apart from the database so it can be tested on its own.
 */
final class CatchUp {

    private CatchUp() {
    }

    /**
     * Some segment may not have applied the events after the slowest segment's index, nor those
     * in any gap; of those, only the ones that exist in the store matter.
     */
    static long slowestIndex(Collection<SegmentPosition> positions) {
        return positions.stream().mapToLong(SegmentPosition::index).min().orElse(-1);
    }

    static SortedSet<Long> gaps(Collection<SegmentPosition> positions) {
        SortedSet<Long> gaps = new TreeSet<>();
        positions.forEach(position -> gaps.addAll(position.gaps()));
        return gaps;
    }

    /**
     * True when every segment is past the head with no gap at or below it, and the segments
     * together cover every sequence: then every event up to the head is applied, whichever segment
     * it falls to, without asking the store which events those are.
     */
    static boolean isPastWithoutGaps(Collection<SegmentPosition> positions, long head) {
        double covered = positions.stream().mapToDouble(position -> 1.0 / (position.segment().getMask() + 1)).sum();
        return !positions.isEmpty() && covered >= 1.0 && positions.stream().allMatch(position ->
                position.index() >= head && position.gaps().stream().allMatch(gap -> gap > head));
    }

    /**
     * True when, for each committed event up to the head (candidates: those that lie after the
     * slowest index or in a gap), the segment responsible for it has applied it.
     * No segments at all means the processor has not started: caught up only on an empty store.
     * An event no segment is responsible for (the table missing a segment) has not been applied:
     * nothing vouches for it.
     */
    static boolean hasApplied(Collection<SegmentPosition> positions, List<StoredEvent> candidates, Long head) {
        if (head == null) {
            return true;
        }
        if (positions.isEmpty()) {
            return false;
        }
        return candidates.stream()
                .filter(event -> event.globalIndex() <= head)
                .allMatch(event -> hasApplied(positions, event));
    }

    private static boolean hasApplied(Collection<SegmentPosition> positions, StoredEvent event) {
        List<SegmentPosition> responsible = positions.stream()
                .filter(position -> position.isResponsibleFor(event))
                .toList();
        return !responsible.isEmpty()
                && responsible.stream().allMatch(position -> position.hasApplied(event.globalIndex()));
    }
}
