package dev.deed.lifecycle;

import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What one trial did: the choices it consumed, the description of each step it applied, and its
 * failure if it failed.
 */
public record TrialResult(long[] choices, List<String> steps, @Nullable Failure failure) {

    public TrialResult {
        choices = choices.clone();
        steps = List.copyOf(steps);
    }

    @Override
    public long[] choices() {
        return choices.clone();
    }

    public boolean failed() {
        return failure != null;
    }
}
