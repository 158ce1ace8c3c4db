package dev.apikeys.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this PostgreSQL does for the simplest durable write a create needs: one row of about the
 * size of a key's events, under a unique index, one transaction each, from 8 clients. The create
 * rate is judged against it, which makes the figure mean the same on a faster or slower disk.
 */
final class PgbenchBaseline {

    static final Path SCRIPT = Path.of("bench/pgbench-insert.sql");
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private final BenchDatabase database;

    PgbenchBaseline(BenchDatabase database) {
        this.database = database;
    }

    /** @return transactions per second */
    double run(Duration duration, Progress progress) throws Exception {
        database.execute("create table bench_insert (id text primary key, payload text)");
        try {
            Process pgbench = new ProcessBuilder(List.of("pgbench", "-h", BenchDatabase.HOST,
                    "-p", Integer.toString(BenchDatabase.PORT), "-U", BenchDatabase.USER, "-n", "-c", "8", "-j", "2",
                    "-T", Long.toString(duration.toSeconds()), "-f", SCRIPT.toString(), database.name()))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(pgbench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (pgbench.waitFor() != 0) {
                throw new IOException("pgbench failed: " + output);
            }
            Matcher tps = TPS.matcher(output);
            if (!tps.find()) {
                throw new IOException("No tps in pgbench's output: " + output);
            }
            output.lines().filter(line -> line.startsWith("latency average") || line.startsWith("number of failed"))
                    .forEach(line -> progress.line("  pgbench %s", line));
            return Double.parseDouble(tps.group(1));
        } finally {
            // The service's database holds only what the service put there.
            database.execute("drop table bench_insert");
        }
    }
}
