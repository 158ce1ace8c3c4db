package dev.apikeys.events;

/**
 * How far a key's events are applied: the sequence number of the last one applied from the key's
 * own stream and from its usage stream ({@link ApiKeyUsageStream}), -1 for none. A stream's events
 * arrive in order, so an event at or below its stream's number was applied already. This is where
 * every projection's idempotence is decided: a redelivered or replayed event changes nothing.
 */
public record KeyPosition(long lifecycle, long usage) {

    public static final KeyPosition NONE = new KeyPosition(-1, -1);

    public boolean covers(ApiKeyEvent event, long sequence) {
        return sequence <= (ApiKeyUsageStream.holds(event) ? usage : lifecycle);
    }

    /** The position once the event, numbered {@code sequence} in its stream, is applied. */
    public KeyPosition after(ApiKeyEvent event, long sequence) {
        return ApiKeyUsageStream.holds(event) ? new KeyPosition(lifecycle, sequence) : new KeyPosition(sequence, usage);
    }
}
