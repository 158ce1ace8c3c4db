package dev.apikeys.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One child JVM of the harness over all its lives: a drill kills it as a crash would and starts it
 * again, and the CPU time of the killed ones still counts, so that a restart hides none of it.
 */
final class ChildJvm {

    private Process process;
    private Duration cpuTimeOfEarlierJvms = Duration.ZERO;

    /** @throws IllegalStateException while the previous one still runs */
    synchronized Process start(ProcessBuilder builder) throws IOException {
        if (isAlive()) {
            throw new IllegalStateException("Still running: " + String.join(" ", builder.command()));
        }
        process = builder.start();
        return process;
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** @throws PhaseFailed when none runs */
    synchronized Process running() {
        if (process == null) {
            throw new PhaseFailed("the process is not running");
        }
        return process;
    }

    /** CPU time of this JVM and of those killed before it. */
    synchronized Duration cpuTime() {
        return process == null ? cpuTimeOfEarlierJvms : cpuTimeOfEarlierJvms.plus(CpuUsage.cpuTime(process.toHandle()));
    }

    /** SIGKILL, no graceful shutdown, as a crash would take it away. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            // A JVM that has ended shows no CPU time any more.
            cpuTimeOfEarlierJvms = cpuTime();
            process.destroyForcibly();
            process.waitFor();
            process = null;
        }
    }

    /** Asks the JVM to stop as {@code request} does, and kills it if it has not within {@code grace}. */
    synchronized void stop(Consumer<Process> request, Duration grace) throws InterruptedException {
        if (process == null) {
            return;
        }
        // A JVM that has ended shows no CPU time any more.
        cpuTimeOfEarlierJvms = cpuTime();
        if (process.isAlive()) {
            request.accept(process);
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
        process = null;
    }
}
