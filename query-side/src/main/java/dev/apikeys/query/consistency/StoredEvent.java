package dev.apikeys.query.consistency;

/**
 * A committed event in the store, reduced to what decides which segment handles it: its sequence
 * identifier, the key it is about (see EventStoreHead).
 */
record StoredEvent(long globalIndex, String sequenceIdentifier) {
}
