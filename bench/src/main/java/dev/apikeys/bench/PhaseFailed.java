package dev.apikeys.bench;

/** A phase could not measure its figure, e.g. the service did not get there in time; the run goes on. */
final class PhaseFailed extends RuntimeException {

    PhaseFailed(String message) {
        super(message);
    }

    PhaseFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
