package dev.deed.kernel.soak;

/**
 * Counts, across the trials of one run, the syscalls refused for lack of memory or pids and the
 * allocation failures injected, so that a soak under pressure can show its faults really fired.
 */
public final class Refusals {
    private long refused;
    private long injected;

    /** Nothing counted yet. */
    public Refusals() {
        // counts start at zero
    }

    void record(boolean refusedCall, long injectedFaults) {
        refused += refusedCall ? 1 : 0;
        injected += injectedFaults;
    }

    /** Syscalls refused with ENOMEM or EAGAIN (each checked to have changed nothing). */
    public long refused() {
        return refused;
    }

    /** Allocation failures the fault plan injected. */
    public long injected() {
        return injected;
    }
}
