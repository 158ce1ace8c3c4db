package dev.apikeys.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the machine's CPU was shared at one instant, so that a phase can say what the service, its
 * PostgreSQL server, the broker, the harness and everything else (other builds on a shared
 * machine) used while it ran: a figure measured while the cores were busy elsewhere is worth less.
 *
 * @param machineBusyTicks all cores' non-idle time from {@code /proc/stat}, in clock ticks
 * @param machineTotalTicks all cores' time from {@code /proc/stat}, in clock ticks
 * @param processes CPU time so far of the service, PostgreSQL (its server and every backend, which
 *        includes other users' connections to it), the broker and the harness, in that order
 */
record CpuUsage(long atNanos, long machineBusyTicks, long machineTotalTicks, List<Duration> processes) {

    private static final List<String> NAMES = List.of("service", "postgres", "broker", "harness");
    /** The unit of /proc's times; 100 on Linux. */
    private static final long USER_HZ = 100;

    static CpuUsage now(ServiceProcess service, Optional<ProcessHandle> postgres, KafkaBrokerProcess broker) {
        long busy = 0;
        long total = 0;
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            for (int i = 1; i < fields.length && i <= 8; i++) {
                long ticks = Long.parseLong(fields[i]);
                total += ticks;
                // Fields 4 and 5 are idle and iowait.
                busy += i == 4 || i == 5 ? 0 : ticks;
            }
        } catch (IOException | RuntimeException e) {
            // No /proc/stat: the machine's share stays unknown (0 of 0).
        }
        Duration postgresTime = postgres.map(CpuUsage::serverCpuTime).orElse(Duration.ZERO);
        return new CpuUsage(System.nanoTime(), busy, total, List.of(service.cpuTime(), postgresTime,
                broker.cpuTime(), cpuTime(ProcessHandle.current())));
    }

    /** E.g. "service 1.40 cores, postgres 0.30, broker 0.02, harness 0.05, everything else 0.20, of 2". */
    String since(CpuUsage earlier) {
        double seconds = (atNanos - earlier.atNanos) / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        StringBuilder shares = new StringBuilder();
        double accounted = 0;
        for (int i = 0; i < NAMES.size(); i++) {
            // A process that ended meanwhile reads as zero: count nothing rather than less than nothing.
            double share = Math.max(0, processes.get(i).minus(earlier.processes.get(i)).toNanos() / 1e9 / seconds);
            accounted += share;
            shares.append(String.format(Locale.ROOT, "%s %.2f%s, ", NAMES.get(i), share, i == 0 ? " cores" : ""));
        }
        long totalTicks = machineTotalTicks - earlier.machineTotalTicks;
        double busyCores = totalTicks <= 0 ? Double.NaN
                : cores * (machineBusyTicks - earlier.machineBusyTicks) / (double) totalTicks;
        return shares + String.format(Locale.ROOT, "everything else %.2f, of %d", busyCores - accounted, cores);
    }

    static Duration cpuTime(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /**
     * A server's own time, that of the children it has reaped (backends that ended, e.g.
     * pgbench's) and that of its live children: it only grows, however backends come and go.
     */
    private static Duration serverCpuTime(ProcessHandle server) {
        long ticks = ticks(server.pid(), true) + server.children().mapToLong(child -> ticks(child.pid(), false)).sum();
        return Duration.ofMillis(ticks * 1000 / USER_HZ);
    }

    /** utime and stime of /proc/pid/stat, and with {@code reaped} cutime and cstime too; 0 if it is gone. */
    private static long ticks(long pid, boolean reaped) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // After the command in parentheses, fields count from 3 (state); utime is field 14.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return reaped ? ticks + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : ticks;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
