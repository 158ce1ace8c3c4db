package dev.apikeys.bench;

/** What one connection of a load sends, and which answers count as served. Used by one thread only. */
interface ConnectionWorkload {

    byte[] nextRequest();

    /** @return whether the answer just read on {@code connection} is the one expected */
    boolean accepts(HttpConnection connection);
}
