package dev.deed.task;

/** Where a task is in its life. */
public enum TaskState {
    /** On a run queue. */
    RUNNABLE,
    /** Holding a CPU. */
    RUNNING,
    /** Parked until unparked. */
    PARKED,
    /** Waiting on a wait queue. */
    WAITING,
    /** Finished; its stack is still allocated until it is released (a zombie). */
    EXITED,
    /** Released: stack freed, gone from the task table. */
    RELEASED
}
