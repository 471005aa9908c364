package dev.deed.task;

import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a {@link Scheduler#run()} did.
 *
 * @param switches    context switches
 * @param fingerprint a hash of the sequence of tasks switched to: equal for equal interleavings
 * @param failures    tasks whose body ended by throwing (the task died; the run went on)
 * @param blocked     tasks still parked or waiting when nothing was runnable
 * @param panic       what stopped the run, if something did (e.g. a corrupted context)
 */
public record RunResult(long switches, long fingerprint, List<String> failures, List<String> blocked,
                        @Nullable Throwable panic) {
    public RunResult {
        failures = List.copyOf(failures);
        blocked = List.copyOf(blocked);
    }
}
