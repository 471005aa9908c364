package dev.deed.process;

/** Where a process is in its life. */
public enum ProcessState {
    /** Has live threads. */
    RUNNING,
    /** Every thread has exited; waits for its parent to reap it. */
    ZOMBIE
}
