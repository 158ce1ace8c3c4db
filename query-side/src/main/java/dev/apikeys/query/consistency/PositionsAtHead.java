package dev.apikeys.query.consistency;

import java.util.List;

/**
 * A processor's segment positions and the event store's head, as one snapshot saw them.
 *
 * @param head the highest committed global index; null for an empty store
 */
record PositionsAtHead(List<SegmentPosition> positions, Long head) {

    PositionsAtHead {
        positions = List.copyOf(positions);
    }
}
