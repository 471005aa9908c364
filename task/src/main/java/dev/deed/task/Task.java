package dev.deed.task;

import java.util.concurrent.Semaphore;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One task: its identity, state, kernel stack, simulated stack pointer, and the thread its body runs on. */
final class Task {
    final int tid;
    final String name;
    final boolean detached;
    final Semaphore baton = new Semaphore(0);
    TaskState state = TaskState.RUNNABLE;
    @Nullable KernelStack stack;
    /** The simulated stack pointer: moves with {@link TaskContext#call}; the saved frame goes just below it. */
    long sp;
    /** Where the last switch saved this task's registers. */
    long savedFrame;
    @Nullable Thread thread;
    @Nullable WaitQueue waitingOn;
    @Nullable Throwable failure;
    /** An unpark that came before the park: the next park returns at once. */
    boolean permit;
    /** Clock ticks charged to it: in its body (user) and in the kernel on its behalf (system). */
    long utime;
    long stime;
    /** The tick it was created at. */
    long startTick;
    /** Switches away because it blocked (voluntary) and because it yielded or was preempted (involuntary). */
    long voluntary;
    long involuntary;
    /** The CPU it runs on, or last ran on. */
    int cpu;

    Task(int tid, String name, boolean detached) {
        this.tid = tid;
        this.name = name;
        this.detached = detached;
    }

    KernelStack stack() {
        KernelStack s = stack;
        if (s == null) {
            throw new IllegalStateException(this + " has no stack");
        }
        return s;
    }

    @Override
    public String toString() {
        return "task '" + name + "' (tid " + tid + ")";
    }
}
