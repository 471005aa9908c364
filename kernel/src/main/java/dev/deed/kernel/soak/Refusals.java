package dev.deed.kernel.soak;

/**
 * Counts, across the trials of one run, the syscalls refused for lack of memory or pids, the
 * allocation failures injected and the processes a page fault without a frame ended, so that a soak under pressure can show its faults really fired.
 */
public final class Refusals {
    private long refused;
    private long injected;
    private long killed;

    /** Nothing counted yet. */
    public Refusals() {
        // counts start at zero
    }

    void record(boolean refusedCall, long injectedFaults) {
        refused += refusedCall ? 1 : 0;
        injected += injectedFaults;
    }

    void recordKilled() {
        killed++;
    }

    /** Syscalls refused with ENOMEM or EAGAIN (each checked to have changed nothing). */
    public long refused() {
        return refused;
    }

    /** Allocation failures the fault plan injected. */
    public long injected() {
        return injected;
    }

    /** Processes ended with SIGKILL because a page fault found no frame (everything they held checked reclaimed). */
    public long killed() {
        return killed;
    }
}
