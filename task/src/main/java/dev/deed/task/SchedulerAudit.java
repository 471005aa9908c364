package dev.deed.task;

import dev.deed.frame.Usage;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The scheduler's census and invariant check, read from its tables without changing them. */
final class SchedulerAudit {
    private SchedulerAudit() {
    }

    static Census census(Scheduler s) {
        int zombies = 0;
        for (Task t : s.table().values()) {
            zombies += t.state == TaskState.EXITED ? 1 : 0;
        }
        int idleRefs = 0;
        for (Cpu cpu : s.cpuStates()) {
            idleRefs += 1 + (int) s.runQueue().stream().filter(t -> t == cpu.idle).count() + (cpu.previous == cpu.idle ? 1 : 0);
        }
        return new Census(s.table().size(), zombies, s.stacks().inUse(), s.frames().stats().used(Usage.KERNEL_STACK), idleRefs);
    }

    /**
     * The invariants: each running task is the current task of the CPU it runs on, and each CPU runs
     * at most one; every runnable task is on the run queue once and no wait queue; every waiting task
     * on its wait queue once; no stack of a live task freed; one allocated stack per task in the table.
     * Returns the first violation, or null. Callable from the driver or a running task.
     */
    static @Nullable String verify(Scheduler s) {
        Cpu[] cpus = s.cpuStates();
        int[] running = new int[cpus.length];
        for (Task t : s.table().values()) {
            if (t.state == TaskState.RUNNING) {
                if (cpus[t.cpu].current != t.tid) {
                    return t + " is running on CPU " + t.cpu + ", which runs tid " + cpus[t.cpu].current;
                }
                running[t.cpu]++;
            }
        }
        for (Cpu cpu : cpus) {
            if (running[cpu.id] > 1 || (!cpu.isIdle() && running[cpu.id] == 0)) {
                return "CPU " + cpu.id + " runs tid " + cpu.current + " but " + running[cpu.id] + " tasks run on it";
            }
        }
        for (Task t : s.table().values()) {
            long queued = s.runQueue().stream().filter(q -> q == t).count();
            if (t.state == TaskState.RUNNABLE && queued != 1) {
                return t + " is runnable but on the run queue " + queued + " times";
            }
            if (t.state != TaskState.RUNNABLE && queued != 0) {
                return t + " is " + t.state + " but on the run queue";
            }
            WaitQueue q = t.waitingOn;
            if ((t.state == TaskState.WAITING) != (q != null)
                    || (q != null && q.waiters.stream().filter(w -> w == t).count() != 1)) {
                return t + " is " + t.state + " and waits on " + q;
            }
            KernelStack stack = t.stack;
            if (stack == null || stack.isFreed()) {
                return t + " is " + t.state + " without a stack";
            }
        }
        if (s.stacks().inUse() != s.table().size()) {
            return s.stacks().inUse() + " kernel stacks are allocated for " + s.table().size() + " tasks";
        }
        return null;
    }
}
