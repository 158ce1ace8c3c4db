package dev.apikeys.query.consistency;

import java.util.Set;

/**
 * One segment of a processor as the token table holds it.
 *
 * @param owner the node id of the instance that claims it; null when nobody does
 * @param index the highest global index it passed; -1 for none
 * @param gaps the global indexes below it that were not committed when it passed them
 */
public record SegmentClaim(int segment, String owner, long index, Set<Long> gaps) {

    public SegmentClaim {
        gaps = Set.copyOf(gaps);
    }

    /**
     * The global index up to which it applied every committed event: its index, or below the first
     * of its gaps that is a committed event now. A gap nothing was ever committed in (an append that
     * rolled back) holds nothing back.
     */
    public long position(Set<Long> committedGaps) {
        return gaps.stream().filter(committedGaps::contains).mapToLong(gap -> gap - 1).reduce(index, Math::min);
    }
}
