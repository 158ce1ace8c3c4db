package dev.apikeys.bench;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The cumulative buckets of one Prometheus histogram as scraped, summed over its series. Two
 * scrapes give the distribution of what was recorded between them, since buckets only grow.
 */
record ServerTimerHistogram(NavigableMap<Double, Double> countAtOrBelow) {

    /** @param metric e.g. {@code apikeys_read_your_writes_wait_seconds}; its {@code _bucket} series are read */
    static ServerTimerHistogram parse(String prometheusText, String metric) {
        String prefix = metric + "_bucket{";
        NavigableMap<Double, Double> buckets = new TreeMap<>();
        for (String line : prometheusText.split("\n")) {
            if (!line.startsWith(prefix)) {
                continue;
            }
            int le = line.indexOf("le=\"");
            int labelsEnd = line.lastIndexOf('}');
            if (le < 0 || labelsEnd < 0) {
                continue;
            }
            String bound = line.substring(le + 4, line.indexOf('"', le + 4));
            double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
            double count = Double.parseDouble(line.substring(labelsEnd + 1).trim().split(" ")[0]);
            buckets.merge(upper, count, Double::sum);
        }
        return new ServerTimerHistogram(buckets);
    }

    boolean isEmpty() {
        return countAtOrBelow.isEmpty();
    }

    long countSince(ServerTimerHistogram earlier) {
        return Math.round(total(this) - total(earlier));
    }

    /**
     * The quantile of what was recorded since {@code earlier}, interpolated within its bucket as
     * PromQL's {@code histogram_quantile} does; in the unbounded last bucket, the highest bound.
     *
     * @return in the metric's unit, NaN when nothing was recorded
     */
    double quantileSince(ServerTimerHistogram earlier, double quantile) {
        double total = total(this) - total(earlier);
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = quantile * total;
        double lowerBound = 0;
        double countBelow = 0;
        for (Map.Entry<Double, Double> bucket : countAtOrBelow.entrySet()) {
            double upperBound = bucket.getKey();
            double count = bucket.getValue() - earlier.countAtOrBelow.getOrDefault(upperBound, 0.0);
            if (count >= rank) {
                if (Double.isInfinite(upperBound)) {
                    return lowerBound;
                }
                return lowerBound + (upperBound - lowerBound) * (rank - countBelow) / Math.max(count - countBelow, 1e-9);
            }
            lowerBound = upperBound;
            countBelow = count;
        }
        return lowerBound;
    }

    private static double total(ServerTimerHistogram histogram) {
        return histogram.countAtOrBelow.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    }
}
