package dev.deed.task;

import org.checkerframework.checker.mustcall.qual.InheritableMustCall;

/**
 * The owner's handle to a task: it keeps the task (and, once it has exited, its zombie and stack)
 * until {@link #release()}, which frees the stack. Releasing a task that is still running is refused;
 * releasing one whose stack is current on a CPU is refused loudly (B2).
 */
@InheritableMustCall("release")
public final class TaskHandle {
    private final Scheduler scheduler;
    final Task task;
    private boolean released;

    TaskHandle(Scheduler scheduler, Task task) {
        this.scheduler = scheduler;
        this.task = task;
    }

    public int tid() {
        return task.tid;
    }

    public String name() {
        return task.name;
    }

    public TaskState state() {
        return task.state;
    }

    /** The throwable that ended the task's body, if it ended that way. */
    public java.util.Optional<Throwable> failure() {
        return java.util.Optional.ofNullable(task.failure);
    }

    public boolean isReleased() {
        return released;
    }

    /** Frees the exited task's stack and drops it from the task table. */
    public void release() {
        if (released) {
            throw new TaskStateException(task + " was already released");
        }
        scheduler.release(task);
        released = true;
    }

    @Override
    public String toString() {
        return task + " [" + task.state + "]";
    }
}
