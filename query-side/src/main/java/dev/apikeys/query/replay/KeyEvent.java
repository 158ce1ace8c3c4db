package dev.apikeys.query.replay;

/**
 * One event as a batch projection applies it, with its number in its stream: the key's own stream,
 * or for usage the key's usage stream.
 */
public record KeyEvent(Object payload, long sequence) {
}
