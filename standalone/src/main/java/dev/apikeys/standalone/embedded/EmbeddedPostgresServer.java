package dev.apikeys.standalone.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL 17 server (zonky's binaries) whose data stays in one directory across restarts.
 * The postmaster is a daemon, so it outlives a JVM killed with {@code kill -9}; the next start
 * stops such an orphan before starting its own server on the same directory.
 * <p>
 * Every connection needs the password kept beside the data directory ({@value #PASSWORD_FILE},
 * readable by its owner only): initdb trusts every local connection, which would make any local
 * user a superuser, able to run programs as the service's user ({@code COPY ... TO PROGRAM}).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "apikeys";
    public static final String USERNAME = "postgres";
    static final String PASSWORD_FILE = "postgres-password";
    private static final String HBA_HEADER = "# Written by the standalone service: every connection needs the password.";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration ORPHAN_SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);
    // zonky's own lock file: held by the JVM that runs the server, released by the OS when it dies.
    private static final String ZONKY_LOCK_FILE = "epg-lock";

    private final Path dataDirectory;
    private final Path serverLog;
    private final SecretFile password;
    private EmbeddedPostgres postgres;

    /**
     * @param dataDirectory the cluster's data directory (PGDATA), created on first start
     * @param serverLog file the server's own output is appended to
     */
    public EmbeddedPostgresServer(Path dataDirectory, Path serverLog) {
        this.dataDirectory = dataDirectory.toAbsolutePath().normalize();
        this.serverLog = serverLog.toAbsolutePath().normalize();
        this.password = new SecretFile(this.dataDirectory.resolveSibling(PASSWORD_FILE));
    }

    public synchronized void start() {
        if (postgres != null) {
            return;
        }
        long startedAt = System.nanoTime();
        try {
            Files.createDirectories(dataDirectory);
            stopOrphanedPostmaster();
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(LocalPorts.free())
                    // Stopped by whoever owns this object, after the things that use the database.
                    .setRegisterShutdownHook(false)
                    .setOutputRedirector(Redirect.appendTo(serverLog.toFile()))
                    .setErrorRedirector(Redirect.appendTo(serverLog.toFile()))
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // zonky trades durability for test speed; this server keeps real data.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setConnectConfig("password", password())
                    .start();
            requirePasswords();
            createDatabaseIfMissing();
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not start in " + dataDirectory, e);
        }
        log.info("Embedded PostgreSQL started on port {} with data in {} in {} ms",
                postgres.getPort(), dataDirectory, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
    }

    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not stop cleanly", e);
        } finally {
            postgres = null;
        }
        log.info("Embedded PostgreSQL stopped");
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return postgres != null;
    }

    /** The password of user {@value #USERNAME}. */
    public String password() {
        return password.readOrCreate();
    }

    public synchronized String jdbcUrl() {
        if (postgres == null) {
            throw new IllegalStateException("Embedded PostgreSQL is not running");
        }
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    /**
     * On a cluster initdb just made (or one made before passwords were required), while it still
     * trusts everyone: sets the password, then allows password logins only, on TCP and the socket.
     */
    private void requirePasswords() throws IOException {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        if (Files.readAllLines(hba).stream().findFirst().filter(HBA_HEADER::equals).isPresent()) {
            return;
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            // The password is URL-safe Base64: nothing in it needs quoting.
            statement.execute("ALTER ROLE " + USERNAME + " PASSWORD '" + password() + "'");
            Files.writeString(hba, String.join("\n", HBA_HEADER,
                    "local all all scram-sha-256",
                    "host all all 127.0.0.1/32 scram-sha-256",
                    "host all all ::1/128 scram-sha-256", ""));
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("Could not require passwords of " + dataDirectory, e);
        }
        log.info("Embedded PostgreSQL now requires the password kept in {}", dataDirectory.resolveSibling(PASSWORD_FILE));
    }

    private void createDatabaseIfMissing() throws IOException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet found = exists.executeQuery()) {
                if (found.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + DATABASE);
            }
            log.info("Created database {}", DATABASE);
        } catch (SQLException e) {
            throw new IOException("Could not create database " + DATABASE, e);
        }
    }

    /**
     * A postmaster left running by a JVM that died without stopping it still holds
     * postmaster.pid, so a new server on this directory would refuse to start. Such an orphan
     * is stopped with SIGTERM (no client can still be connected: they all lived in the dead JVM,
     * so PostgreSQL's smart shutdown finishes at once and writes a clean checkpoint).
     */
    private void stopOrphanedPostmaster() throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        assertNoOtherProcessUsesTheDirectory();
        Optional<ProcessHandle> orphan = postmasterOf(Files.readAllLines(pidFile));
        if (orphan.isEmpty()) {
            // A stale file from a crashed server: PostgreSQL itself checks and replaces it.
            return;
        }
        ProcessHandle postmaster = orphan.get();
        log.warn("Stopping orphaned PostgreSQL server (pid {}) left running on {}", postmaster.pid(), dataDirectory);
        postmaster.destroy();
        try {
            postmaster.onExit().get(ORPHAN_SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("Orphaned PostgreSQL server (pid " + postmaster.pid() + ") did not stop within "
                    + ORPHAN_SHUTDOWN_TIMEOUT, e);
        } catch (ExecutionException e) {
            throw new IOException("Could not wait for orphaned PostgreSQL server to stop", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping orphaned PostgreSQL server", e);
        }
    }

    private void assertNoOtherProcessUsesTheDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(dataDirectory.resolve(ZONKY_LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("PostgreSQL data directory " + dataDirectory
                        + " is in use by another running process");
            }
        }
    }

    /** Line 1 of postmaster.pid is the postmaster's PID, line 2 its data directory. */
    private Optional<ProcessHandle> postmasterOf(List<String> pidFileLines) {
        if (pidFileLines.size() < 2 || !Path.of(pidFileLines.get(1).trim()).equals(dataDirectory)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(pidFileLines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command()
                        .map(command -> Path.of(command).getFileName().toString().startsWith("postgres"))
                        .orElse(false));
    }
}
