package dev.apikeys.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures as measured, and the table and {@code name=value} lines they end in. A figure no
 * phase measured is reported as failed; a miss is reported, never a reason to stop.
 */
final class Report {

    private final List<Figure> figures;
    private final Map<Figure, Measurement> measurements = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    /** @param figures what this report holds, in the order it prints them */
    Report(List<Figure> figures) {
        this.figures = List.copyOf(figures);
    }

    synchronized void record(Figure figure, double value) {
        record(figure, value, null);
    }

    /** @param unmetCondition why the figure misses its target whatever its value, or null */
    synchronized void record(Figure figure, double value, String unmetCondition) {
        if (!figures.contains(figure)) {
            throw new IllegalArgumentException(figure.key() + " is not a figure of this report");
        }
        measurements.put(figure, new Measurement(value, unmetCondition));
    }

    synchronized void phaseFailed(String phase, String reason) {
        failures.add(phase + ": " + reason);
    }

    synchronized double value(Figure figure) {
        Measurement measurement = measurements.get(figure);
        return measurement == null ? Double.NaN : measurement.value();
    }

    /** Whether every figure was measured and met its target, if it has one, and no phase failed. */
    synchronized boolean passed() {
        return failures.isEmpty() && figures.stream().allMatch(figure -> {
            Measurement measurement = measurements.get(figure);
            return measured(measurement) && (!figure.hasTarget() || meets(figure, measurement));
        });
    }

    synchronized void print(PrintStream out) {
        int width = figures.stream().mapToInt(figure -> figure.key().length()).max().orElse(0);
        String row = "%-" + width + "s %12s  %-18s %s%n";
        out.println();
        out.printf(Locale.ROOT, row, "figure", "value", "target", "result");
        for (Figure figure : figures) {
            Measurement measurement = measurements.get(figure);
            out.printf(Locale.ROOT, row, figure.key(), measured(measurement) ? formatted(figure, measurement) : "-",
                    figure.target(), measured(measurement) ? result(figure, measurement) : "failed");
        }
        if (!failures.isEmpty()) {
            out.println();
            failures.forEach(failure -> out.println("failed: " + failure));
        }
        out.println();
        for (Figure figure : figures) {
            Measurement measurement = measurements.get(figure);
            out.println(figure.key() + "=" + (measured(measurement) ? formatted(figure, measurement) : "failed"));
        }
        out.flush();
    }

    private static boolean measured(Measurement measurement) {
        return measurement != null && !Double.isNaN(measurement.value());
    }

    private static String formatted(Figure figure, Measurement measurement) {
        return String.format(Locale.ROOT, figure.format(), measurement.value());
    }

    private static String result(Figure figure, Measurement measurement) {
        if (!figure.hasTarget()) {
            return "-";
        }
        if (measurement.unmetCondition() != null) {
            return "missed (" + measurement.unmetCondition() + ")";
        }
        return meets(figure, measurement) ? "met" : "missed";
    }

    private static boolean meets(Figure figure, Measurement measurement) {
        return measurement.unmetCondition() == null && figure.isMetBy(measurement.value());
    }

    private record Measurement(double value, String unmetCondition) {
    }
}
