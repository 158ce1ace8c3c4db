package dev.apikeys.standalone.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL server running on a data directory, as its postmaster.pid names it: line 1 is
 * the postmaster's PID, line 4 its port.
 */
public final class Postmaster {

    private Postmaster() {
    }

    /** The postmaster, if one runs on the directory: also one a killed JVM left behind. */
    public static Optional<ProcessHandle> of(Path postgresDirectory) {
        List<String> lines = pidFile(postgresDirectory);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command()
                        .map(command -> Path.of(command).getFileName().toString().startsWith("postgres"))
                        .orElse(false));
    }

    /** A JDBC URL of the database the embedded server of this directory keeps, while it runs. */
    public static String jdbcUrl(Path postgresDirectory) {
        List<String> lines = pidFile(postgresDirectory);
        if (lines.size() < 4) {
            throw new IllegalStateException("No PostgreSQL server runs on " + postgresDirectory);
        }
        return "jdbc:postgresql://localhost:" + lines.get(3).trim() + "/" + EmbeddedPostgresServer.DATABASE;
    }

    private static List<String> pidFile(Path postgresDirectory) {
        Path pidFile = postgresDirectory.resolve("postmaster.pid");
        try {
            return Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops an orphan a failed test left running, so no server outlives the test run. */
    public static void stopOrphan(Path postgresDirectory) {
        of(postgresDirectory).ifPresent(postmaster -> {
            postmaster.destroyForcibly();
            postmaster.onExit().join();
        });
    }
}
