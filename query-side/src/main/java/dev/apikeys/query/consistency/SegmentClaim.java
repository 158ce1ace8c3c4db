package dev.apikeys.query.consistency;

/**
 * One segment of a processor as the token table holds it.
 *
 * @param owner the node id of the instance that claims it; null when nobody does
 * @param position the global index up to which it applied every committed event; -1 for none
 */
public record SegmentClaim(int segment, String owner, long position) {
}
