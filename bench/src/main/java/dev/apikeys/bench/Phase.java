package dev.apikeys.bench;

import java.util.Optional;

/**
 * One named step of a run that may fail without ending the run: it is announced, and whatever
 * makes it fail becomes a reason for the report, so that the steps after it still run.
 */
final class Phase {

    private Phase() {
    }

    /** @return why the step failed; empty when it completed */
    static Optional<String> run(String name, Progress progress, Body body) {
        progress.line("== %s", name);
        try {
            body.run();
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted in phase " + name, e);
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            progress.line("%s FAILED: %s", name, reason);
            // A PhaseFailed says all there is to say; anything else is a surprise worth its trace.
            if (!(e instanceof PhaseFailed)) {
                e.printStackTrace(System.out);
            }
            return Optional.of(reason);
        }
    }

    interface Body {
        void run() throws Exception;
    }
}
