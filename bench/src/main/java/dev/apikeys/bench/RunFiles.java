package dev.apikeys.bench;

import java.nio.file.Path;

/**
 * Where a run leaves what it and its child processes wrote, one directory per kind of run, so
 * that {@code ./bench/faults} does not overwrite the logs of the last {@code ./bench/run}.
 */
record RunFiles(Path directory) {

    Path serviceLog() {
        return directory.resolve("service.log");
    }

    Path kafkaLog() {
        return directory.resolve("kafka.log");
    }

    Path flightRecordings() {
        return directory.resolve("jfr");
    }

    Path heapDump() {
        return directory.resolve("service-oom.hprof");
    }
}
