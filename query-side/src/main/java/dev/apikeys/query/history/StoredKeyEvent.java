package dev.apikeys.query.history;

/**
 * One event of a key, from its own stream or its usage stream, with who caused it.
 *
 * @param payload the deserialized event (ApiKeyCreated, ..., ApiKeyUsed)
 * @param actorId the user whose request caused it, from the metadata; null if it carries none
 */
record StoredKeyEvent(Object payload, String actorId) {
}
