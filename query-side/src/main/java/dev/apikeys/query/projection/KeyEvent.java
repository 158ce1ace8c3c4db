package dev.apikeys.query.projection;

/**
 * One event for the read model, with its number in the key's own stream (ignored for usage, which
 * is numbered in the key's usage stream).
 */
record KeyEvent(Object payload, long sequence) {
}
