package dev.apikeys.query.consistency;

/**
 * A committed event in the store, reduced to what decides which segment handles it: Axon's default
 * sequencing policy sequences by aggregate, and by event id for events without an aggregate.
 */
record StoredEvent(long globalIndex, String sequenceIdentifier) {
}
