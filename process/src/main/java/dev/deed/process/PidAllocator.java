package dev.deed.process;

import dev.deed.frame.FaultPlan;
import dev.deed.frame.FaultSite;
import java.util.BitSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Process ids from 1 to {@link #PID_MAX}, lowest free first, recycled. */
public final class PidAllocator {
    public static final int PID_MAX = 32_768;

    private final BitSet used = new BitSet();
    private int last;
    private final @Nullable FaultPlan faults;

    /** An allocator with every pid free. */
    public PidAllocator() {
        this(null);
    }

    /** An allocator with every pid free, whose allocations the machine's fault plan may fail ({@link FaultSite#PID}). */
    public PidAllocator(@Nullable FaultPlan faults) {
        this.faults = faults;
    }

    /** The lowest free pid; EAGAIN when none is free (or the fault plan says so), with nothing changed. */
    public int allocate() {
        FaultPlan plan = faults;
        if (plan != null && plan.shouldFail(FaultSite.PID)) {
            throw new SyscallException(Errno.EAGAIN, "no free pid (injected fault at pid)");
        }
        int pid = used.nextClearBit(1);
        if (pid > PID_MAX) {
            throw new SyscallException(Errno.EAGAIN, "no free pid: all " + PID_MAX + " are in use");
        }
        used.set(pid);
        last = pid;
        return pid;
    }

    /** Returns {@code pid}; a pid never handed out or already free is refused. */
    public void free(int pid) {
        if (pid < 1 || pid > PID_MAX) {
            throw new SyscallException(Errno.EINVAL, "pid " + pid + " is outside [1, " + PID_MAX + "]");
        }
        if (!used.get(pid)) {
            throw new SyscallException(Errno.ESRCH, "pid " + pid + " is not in use (never handed out, or already freed)");
        }
        used.clear(pid);
    }

    public boolean inUse(int pid) {
        return pid >= 1 && pid <= PID_MAX && used.get(pid);
    }

    /** The pid handed out last (0 before the first): /proc/loadavg's last field. */
    public int last() {
        return last;
    }

    public int count() {
        return used.cardinality();
    }
}
