package dev.apikeys.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Lines that show a run is alive, each stamped with the seconds since the run began. */
final class Progress {

    private final long startedAt = System.nanoTime();

    void line(String format, Object... arguments) {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt);
        System.out.printf(Locale.ROOT, "[%4ds] %s%n", seconds, String.format(Locale.ROOT, format, arguments));
        System.out.flush();
    }

    long elapsedSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt);
    }
}
