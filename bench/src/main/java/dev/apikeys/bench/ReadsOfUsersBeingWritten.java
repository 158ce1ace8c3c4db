package dev.apikeys.bench;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * GETs of the keys of users whose keys are being created right now, so that each read must wait
 * for the read model to apply writes that answered moments ago: what read-your-writes costs.
 */
record ReadsOfUsersBeingWritten(AtomicReferenceArray<byte[]> readsOfCurrentUsers) implements ConnectionWorkload {

    @Override
    public byte[] nextRequest() {
        return readsOfCurrentUsers.get(ThreadLocalRandom.current().nextInt(readsOfCurrentUsers.length()));
    }

    @Override
    public boolean accepts(HttpConnection answered) {
        return answered.status() == 200;
    }
}
