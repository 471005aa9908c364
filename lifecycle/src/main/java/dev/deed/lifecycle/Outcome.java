package dev.deed.lifecycle;

import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The result of checking a property: how much ran, how often each action ran (in declaration
 * order), and the counterexample if one was found.
 */
public record Outcome(String property, int trials, long steps, Map<String, Long> actionCounts,
                      @Nullable Counterexample counterexample) {

    public Outcome {
        actionCounts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(actionCounts));
    }

    public boolean passed() {
        return counterexample == null;
    }
}
