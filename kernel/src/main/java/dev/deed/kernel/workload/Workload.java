package dev.deed.kernel.workload;

import dev.deed.process.ProcessBody;

/**
 * An init program. {@link #init} builds init's body; the body calls {@code snapshot.run(sys)} at the
 * point where its work is done and before it reaps its last children (./deed proc reads /proc there).
 */
public interface Workload {
    String name();

    String description();

    ProcessBody init(Transcript out, ProcessBody snapshot, int scale);
}
