package dev.apikeys.bench;

import java.util.function.DoublePredicate;

/**
 * One figure a run reports, by the name its {@code name=value} line uses, with its target.
 *
 * @param format how its value is printed, e.g. {@code %.2f}
 * @param target the target as a person reads it, or what the figure is when it has none
 * @param met whether a value meets the target; null for a figure that has no target of its own
 */
record Figure(String key, String format, String target, DoublePredicate met) {

    boolean hasTarget() {
        return met != null;
    }

    boolean isMetBy(double value) {
        return met != null && met.test(value);
    }
}
