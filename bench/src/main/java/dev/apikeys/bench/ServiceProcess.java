package dev.apikeys.bench;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The service under measurement, in a JVM of its own, its output in the run's service log. It can
 * be killed as a crash would, or stopped, and started again with the same command, its output then
 * appended.
 */
final class ServiceProcess implements AutoCloseable {

    /** Spring Boot's console format: time, level, pid, then the logger and ": " the message. */
    private static final Pattern PROBLEM = Pattern.compile("^\\S+\\s+(WARN|ERROR) .*? : (.*)$");
    /** A graceful shutdown records pending usage and releases the processors' segments. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final List<String> command;
    private final RunFiles files;
    private final boolean flightRecordings;
    private final ChildJvm jvm = new ChildJvm();
    private volatile int starts;
    /** The highest peak of the JVMs stopped before the running one, in KiB. */
    private long peakResidentOfEarlierJvms;

    ServiceProcess(List<String> command, RunFiles files, boolean flightRecordings) {
        this.command = List.copyOf(command);
        this.files = files;
        this.flightRecordings = flightRecordings;
    }

    /**
     * Starts the JVM and returns at once; {@link #awaitHealthy} waits for it to serve. The first
     * start begins a new log, a restart appends to it after a line that says so.
     */
    synchronized void start() throws IOException {
        Path log = files.serviceLog();
        if (starts == 0) {
            Files.deleteIfExists(log);
            // The JVM writes no heap dump where one exists already.
            Files.deleteIfExists(files.heapDump());
        } else {
            Files.writeString(log, "---- the harness starts the service again (start " + (starts + 1) + ") ----\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        jvm.start(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile())));
        starts++;
    }

    Path log() {
        return files.serviceLog();
    }

    /** The running JVM's process id, for the progress lines of a drill that kills it. */
    long pid() {
        return jvm.running().pid();
    }

    /** Takes the service away at once, as a crash would: SIGKILL, no graceful shutdown. */
    void kill() throws InterruptedException {
        jvm.kill();
    }

    void awaitHealthy(ServiceAdmin admin, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!admin.healthy()) {
            Process running = jvm.running();
            if (!running.isAlive()) {
                throw new PhaseFailed("the service exited with " + running.exitValue() + " before it was healthy; see "
                        + log());
            }
            if (System.nanoTime() > deadline) {
                throw new PhaseFailed("the service was not healthy within " + within.toSeconds() + " s; see " + log());
            }
            Thread.sleep(250);
        }
    }

    boolean isAlive() {
        return jvm.isAlive();
    }

    /**
     * Peak resident memory so far, VmHWM of /proc/pid/status, in KiB, also of the JVMs stopped
     * before; empty once the process is gone.
     */
    OptionalLong peakResidentKibibytes() {
        if (!jvm.isAlive()) {
            return OptionalLong.empty();
        }
        try (Stream<String> status = Files.lines(Path.of("/proc", Long.toString(pid()), "status"))) {
            return status.filter(line -> line.startsWith("VmHWM:"))
                    .mapToLong(line -> Math.max(peakResidentOfEarlierJvms, Long.parseLong(line.replaceAll("[^0-9]", ""))))
                    .findFirst();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** CPU time the service's JVMs have used so far, also those killed before. */
    Duration cpuTime() {
        return jvm.cpuTime();
    }

    /** Lines of the service's output that contain {@code text}. */
    List<String> logLines(String text) throws IOException {
        try (Stream<String> lines = Files.lines(log(), StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.contains(text)).toList();
        }
    }

    /**
     * What the service logged at WARN or ERROR, most frequent first: the distinct messages, each
     * with its level and count, and a first line with the totals. Empty when it logged none.
     */
    List<String> problemsInLog() throws IOException {
        if (!Files.exists(log())) {
            return List.of();
        }
        Map<String, Long> counts;
        try (Stream<String> lines = Files.lines(log(), StandardCharsets.UTF_8)) {
            counts = lines.map(PROBLEM::matcher).filter(Matcher::find)
                    .map(problem -> problem.group(1) + " " + normalize(problem.group(2)))
                    .collect(Collectors.groupingBy(Function.identity(), LinkedHashMap::new, Collectors.counting()));
        }
        if (counts.isEmpty()) {
            return List.of();
        }
        List<String> summary = new ArrayList<>();
        summary.add(String.format("%,d WARN or ERROR lines, %d distinct, in %s",
                counts.values().stream().mapToLong(Long::longValue).sum(), counts.size(), log()));
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(problem -> summary.add(String.format("%,6dx %s", problem.getValue(), problem.getKey())));
        return summary;
    }

    /** Ids and numbers replaced, so that one kind of message counts as one, however often it recurs. */
    private static String normalize(String message) {
        String general = message.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>")
                .replaceAll("[0-9]+", "N");
        return general.length() <= 200 ? general : general.substring(0, 200) + "...";
    }

    /**
     * A JFR recording of the service while a phase runs, if asked for ({@code BENCH_JFR=1}), one
     * file per phase so each figure's profile stands alone. Closing it writes the file.
     */
    FlightRecording flightRecording(String phase) throws IOException, InterruptedException {
        if (!flightRecordings) {
            return () -> { };
        }
        Files.createDirectories(files.flightRecordings());
        Path file = files.flightRecordings().resolve(phase + ".jfr").toAbsolutePath();
        jcmd("JFR.start", "name=" + phase, "settings=profile", "filename=" + file);
        int recordedJvm = starts;
        return () -> {
            // A phase that stopped the service ended its recording with it.
            if (starts == recordedJvm && jvm.isAlive()) {
                jcmd("JFR.stop", "name=" + phase);
            }
        };
    }

    /** Asks the service to stop (SIGTERM: a graceful shutdown) and kills it if it takes too long. */
    synchronized void stop() throws InterruptedException {
        peakResidentKibibytes().ifPresent(peak -> peakResidentOfEarlierJvms = peak);
        jvm.stop(Process::destroy, STOP_TIMEOUT);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void jcmd(String... command) throws IOException, InterruptedException {
        List<String> arguments = Stream.concat(
                Stream.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(pid())),
                Stream.of(command)).toList();
        Process jcmd = new ProcessBuilder(arguments).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (jcmd.waitFor() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + output);
        }
    }

    /** Stops a recording and writes its file. */
    interface FlightRecording extends AutoCloseable {
        @Override
        void close() throws IOException, InterruptedException;
    }
}
