package dev.deed.task;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One CPU's scheduling state: the task it runs (an id, non-owning), its idle task, the task that
 * exited on it awaiting release, and its counters. Its MMU and TLB belong to the machine's
 * {@code Cpus}.
 */
final class Cpu {
    static final int IDLE = 0;

    final int id;
    /** The idle task: it owns nothing and nothing owns it but this slot. */
    final Task idle;
    /** The id of the task holding this CPU ({@link #IDLE} for the idle task): never a reference. */
    int current = IDLE;
    /** The task that exited on this CPU last: released by whoever runs next (on any CPU, after its switch). */
    @Nullable Task previous;
    long switches;
    /** Clock ticks this CPU spent in task bodies, in the kernel on their behalf, and idle. */
    long userTicks;
    long systemTicks;
    long idleTicks;

    Cpu(int id) {
        this.id = id;
        this.idle = new Task(IDLE, "idle/" + id, false);
        this.idle.state = TaskState.RUNNING;
        this.idle.cpu = id;
    }

    boolean isIdle() {
        return current == IDLE;
    }
}
