package dev.apikeys.query.analytics;

/**
 * How far a key's two streams are counted: the sequence number of the last counted event of the
 * key's own stream and of its usage stream, -1 for none. Events of a stream arrive in order, so an
 * event at or below its stream's number was counted already.
 */
record CountedUpTo(long lifecycle, long usage) {

    static final CountedUpTo NOTHING = new CountedUpTo(-1, -1);

    boolean covers(CountedEvent event, long sequence) {
        return sequence <= (event.inUsageStream() ? usage : lifecycle);
    }

    CountedUpTo and(CountedEvent event, long sequence) {
        return event.inUsageStream() ? new CountedUpTo(lifecycle, sequence) : new CountedUpTo(sequence, usage);
    }
}
