package dev.deed.task;

import java.util.List;

/**
 * What a {@link Scheduler#run()} did.
 *
 * @param switches    context switches
 * @param fingerprint a hash of the sequence of tasks switched to: equal for equal interleavings
 * @param failures    tasks that died, in order: a body that ended by throwing, and every panic (the run went on)
 * @param blocked     tasks still parked or waiting when nothing was runnable
 * @param panics      tasks the kernel stopped because a switch, exit or stack release failed on them
 *                    (also listed in {@code failures}); the CPU went on each time
 */
public record RunResult(long switches, long fingerprint, List<String> failures, List<String> blocked,
                        List<TaskPanic> panics) {
    public RunResult {
        failures = List.copyOf(failures);
        blocked = List.copyOf(blocked);
        panics = List.copyOf(panics);
    }
}
