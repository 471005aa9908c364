package dev.deed.task;

import dev.deed.paging.Mmu;
import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One CPU's state, kept per CPU: run queue, current task (an id, non-owning), the previous task awaiting release. */
final class Cpu {
    static final int IDLE = 0;

    final int id;
    final Mmu mmu;
    final ArrayDeque<Task> runQueue = new ArrayDeque<>();
    /** The idle task: the thread in {@link Scheduler#run()}; it owns nothing and nothing owns it but this slot. */
    final Task idle;
    final Semaphore idleBaton = new Semaphore(0);
    /** The id of the task holding this CPU ({@link #IDLE} for the idle task): never a reference. */
    int current = IDLE;
    /** The task that switched away last, exited: released by whoever runs next here. */
    @Nullable Task previous;
    long switches;
    /** Clock ticks this CPU spent in task bodies, in the kernel on their behalf, and idle. */
    long userTicks;
    long systemTicks;
    long idleTicks;
    long fingerprint = 0xcbf29ce484222325L;

    Cpu(int id, Mmu mmu) {
        this.id = id;
        this.mmu = mmu;
        this.idle = new Task(IDLE, "idle/" + id, false);
        this.idle.state = TaskState.RUNNING;
    }

    void recordSwitch(int to) {
        switches++;
        fingerprint = (fingerprint ^ to) * 0x100000001b3L;
    }
}
