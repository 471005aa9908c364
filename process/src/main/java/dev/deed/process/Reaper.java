package dev.deed.process;

import dev.deed.task.Scheduler;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * The one place a process ends: for a parent's waitpid and for init at shutdown alike. The caller
 * hands over the zombie it owned; the reaper checks that nothing else still holds it (rCore asserts
 * the same), takes it out of the pid index, frees its pid, and destroys it in B1's order.
 */
final class Reaper {
    private final PidIndex index;
    private final PidAllocator pids;
    private final Scheduler scheduler;

    Reaper(PidIndex index, PidAllocator pids, Scheduler scheduler) {
        this.index = index;
        this.pids = pids;
        this.scheduler = scheduler;
    }

    /**
     * Checks that {@code zombie} may be reaped — a zombie, with no children, its main thread
     * released, named by the pid index — before its owner gives it up. Refused, changing nothing,
     * if anything else still holds it.
     */
    void requireReapable(Process zombie) {
        String problem = null;
        if (zombie.state() != ProcessState.ZOMBIE) {
            problem = "it is " + zombie.state();
        } else if (zombie.childCount() != 0) {
            problem = "it still owns children " + zombie.childPids();
        } else if (zombie.liveThreads() != 0 || zombie.mainTid() != 0 && scheduler.state(zombie.mainTid()).isPresent()) {
            problem = "its main thread " + zombie.mainTid() + " is not released yet";
        } else if (!index.contains(zombie.pid)) {
            problem = "the pid index does not name it";
        } else if (!zombie.holders().isEmpty()) {
            problem = "strong references outside its owner still hold it: " + String.join(", ", zombie.holders())
                    + " — it could never be freed (B4)";
        }
        if (problem != null) {
            throw new IllegalStateException("the reaper of " + zombie + " does not hold the last reference: " + problem);
        }
    }

    /** Reaps {@code zombie} (checked by {@link #requireReapable}), which its owner gave up; returns its exit status. */
    int reap(@Owning Process zombie) {
        int status = zombie.exitStatus();
        index.remove(zombie.pid);
        pids.free(zombie.pid);
        zombie.destroy();
        return status;
    }
}
