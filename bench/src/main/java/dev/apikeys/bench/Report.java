package dev.apikeys.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures as measured, and the table and {@code name=value} lines they end in. A figure no
 * phase measured is reported as failed; a miss is reported, never a reason to stop.
 */
final class Report {

    private final Map<Figure, Measurement> measurements = new EnumMap<>(Figure.class);
    private final List<String> failures = new ArrayList<>();

    synchronized void record(Figure figure, double value) {
        record(figure, value, null);
    }

    /** @param unmetCondition why the figure misses its target whatever its value, or null */
    synchronized void record(Figure figure, double value, String unmetCondition) {
        measurements.put(figure, new Measurement(value, unmetCondition));
    }

    synchronized void phaseFailed(String phase, String reason) {
        failures.add(phase + ": " + reason);
    }

    synchronized double value(Figure figure) {
        Measurement measurement = measurements.get(figure);
        return measurement == null ? Double.NaN : measurement.value();
    }

    synchronized void print(PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "%-28s %12s  %-18s %s%n", "figure", "value", "target", "result");
        for (Figure figure : Figure.values()) {
            Measurement measurement = measurements.get(figure);
            boolean measured = measurement != null && !Double.isNaN(measurement.value());
            out.printf(Locale.ROOT, "%-28s %12s  %-18s %s%n", figure.key(),
                    measured ? String.format(Locale.ROOT, figure.format(), measurement.value()) : "-",
                    figure.target(), measured ? result(figure, measurement) : "failed");
        }
        if (!failures.isEmpty()) {
            out.println();
            failures.forEach(failure -> out.println("failed: " + failure));
        }
        out.println();
        for (Figure figure : Figure.values()) {
            Measurement measurement = measurements.get(figure);
            boolean measured = measurement != null && !Double.isNaN(measurement.value());
            out.println(figure.key() + "="
                    + (measured ? String.format(Locale.ROOT, figure.format(), measurement.value()) : "failed"));
        }
        out.flush();
    }

    private static String result(Figure figure, Measurement measurement) {
        if (!figure.hasTarget()) {
            return "-";
        }
        if (measurement.unmetCondition() != null) {
            return "missed (" + measurement.unmetCondition() + ")";
        }
        return figure.isMetBy(measurement.value()) ? "met" : "missed";
    }

    private record Measurement(double value, String unmetCondition) {
    }
}
