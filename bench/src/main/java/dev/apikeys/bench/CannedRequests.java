package dev.apikeys.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Requests built before the run, one picked at random for each send, e.g. verifications of many
 * different keys; an answer counts when it has the expected status and, if given, holds the
 * expected text.
 */
final class CannedRequests implements ConnectionWorkload {

    private final byte[][] requests;
    private final int expectedStatus;
    private final byte[] expectedInBody;

    private CannedRequests(byte[][] requests, int expectedStatus, byte[] expectedInBody) {
        this.requests = requests;
        this.expectedStatus = expectedStatus;
        this.expectedInBody = expectedInBody;
    }

    static CannedRequests of(byte[] request, int expectedStatus) {
        return new CannedRequests(new byte[][] {request}, expectedStatus, null);
    }

    static CannedRequests anyOf(byte[][] requests, int expectedStatus, String expectedInBody) {
        return new CannedRequests(requests, expectedStatus, expectedInBody.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] nextRequest() {
        return requests.length == 1 ? requests[0] : requests[ThreadLocalRandom.current().nextInt(requests.length)];
    }

    @Override
    public boolean accepts(HttpConnection answered) {
        return answered.status() == expectedStatus
                && (expectedInBody == null || answered.bodyIndexOf(expectedInBody) >= 0);
    }
}
