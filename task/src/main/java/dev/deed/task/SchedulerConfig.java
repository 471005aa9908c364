package dev.deed.task;

import dev.deed.frame.PhysAddr;

/**
 * @param stackSize   bytes of each kernel stack (a multiple of 4 KiB; default 16 KiB, as Tilck)
 * @param guardPages  unmapped pages below each stack (at least 1)
 * @param seed        seeds the scheduler's only random decisions (preemption)
 * @param preemptOneIn at every kernel operation a running task is preempted with probability 1/n (0: never)
 */
public record SchedulerConfig(long stackSize, int guardPages, long seed, int preemptOneIn) {
    public static final long DEFAULT_STACK_SIZE = 16L << 10;

    public SchedulerConfig {
        if (stackSize < PhysAddr.PAGE_SIZE || stackSize % PhysAddr.PAGE_SIZE != 0 || stackSize > (1L << 24)) {
            throw new IllegalArgumentException("stack size " + stackSize + " must be a multiple of 4096 from 4 KiB to 16 MiB");
        }
        if (guardPages < 1 || guardPages > 16) {
            throw new IllegalArgumentException("guard pages " + guardPages + " must be in [1, 16]");
        }
        if (preemptOneIn < 0) {
            throw new IllegalArgumentException("preemptOneIn " + preemptOneIn + " must be >= 0");
        }
    }

    /** 16 KiB stacks, one guard page, no preemption. */
    public static SchedulerConfig defaults() {
        return new SchedulerConfig(DEFAULT_STACK_SIZE, 1, 0, 0);
    }

    public SchedulerConfig withStackSize(long bytes) {
        return new SchedulerConfig(bytes, guardPages, seed, preemptOneIn);
    }

    public SchedulerConfig withSeed(long s) {
        return new SchedulerConfig(stackSize, guardPages, s, preemptOneIn);
    }

    public SchedulerConfig withPreemption(int oneIn) {
        return new SchedulerConfig(stackSize, guardPages, seed, oneIn);
    }
}
