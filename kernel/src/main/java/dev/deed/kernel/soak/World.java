package dev.deed.kernel.soak;

import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.FaultPlan;
import dev.deed.frame.PlantedBug;
import dev.deed.kernel.boot.Kernel;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.kernel.boot.ResourceReport;
import dev.deed.kernel.boot.RunObserver;
import dev.deed.process.Errno;
import dev.deed.process.SyscallException;
import java.util.Set;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The system under test of one flagship trial: a freshly booted kernel whose init serves commands
 * ({@link Agents}). The lifecycle engine closes it at the end of the trial, passing or failing,
 * which shuts the kernel down.
 */
public final class World implements AutoCloseable {
    final @Owning Session session;
    final Kernel kernel;
    final Agents agents;
    final ResourceReport baseline;
    final long userTop;
    private final Refusals refusals;

    World(FlagshipConfig config, long memory, long seed, Refusals refusals, RunObserver observer) throws OutOfFramesException {
        this.refusals = refusals;
        PlantedBug bug = config.planted();
        session = new Session(KernelConfig.of(config.arch(), memory).withSeed(seed).withCpus(config.cpus()).withPaging(config.paging())
                .withPlanted(bug == null ? Set.of() : Set.of(bug)), observer);
        kernel = session.kernel;
        agents = session.agents;
        baseline = session.baseline;
        userTop = kernel.frames().layout().userTop();
    }

    /** Posts a command to thread {@code tid}, wakes it, runs the CPU until idle, returns the command's result. */
    @Nullable Object command(int tid, Agents.Command command) {
        return session.command(tid, command);
    }

    /**
     * A command whose syscall may be refused for lack of memory or pids, with {@code fault} armed
     * while it runs. If it is refused (ENOMEM or EAGAIN), checks that the refusal changed nothing:
     * every count of the resource report is as it was before the call (caches settled on both sides).
     */
    @Nullable Object refusable(int tid, Fault fault, Agents.Command command) {
        kernel.settle();
        ResourceReport before = kernel.report();
        FaultPlan plan = kernel.frames().faults();
        long injectedBefore = plan.injected();
        fault.arm(plan);
        Object result;
        try {
            result = command(tid, command);
        } finally {
            plan.clear();
        }
        refusals.record(isRefusal(result), plan.injected() - injectedBefore);
        if (isRefusal(result)) {
            kernel.settle();
            ResourceReport after = kernel.report();
            if (!after.equals(before)) {
                throw new AssertionError("a refused call changed the kernel (" + result + "):\n" + after.compareTo(before));
            }
            String references = kernel.processes().verifyUserFrames(kernel.frames());
            if (references != null) {
                throw new AssertionError("a refused call left a reference count wrong (" + result + "): " + references);
            }
        }
        return result;
    }

    /**
     * A command with {@code fault} armed whose allocations are page faults, not syscalls: a fault
     * that finds no frame ends the process (SIGKILL) rather than refusing the call.
     */
    @Nullable Object faulting(int tid, Fault fault, Agents.Command command) {
        FaultPlan plan = kernel.frames().faults();
        long injectedBefore = plan.injected();
        fault.arm(plan);
        try {
            return command(tid, command);
        } finally {
            plan.clear();
            refusals.record(false, plan.injected() - injectedBefore);
        }
    }

    /** Whether {@code result} is a refusal for lack of memory (ENOMEM) or pids (EAGAIN). */
    static boolean isRefusal(@Nullable Object result) {
        return result instanceof SyscallException e && (e.errno() == Errno.ENOMEM || e.errno() == Errno.EAGAIN);
    }

    /** Ends what the trial left running and shuts the kernel down (once; a second close does nothing). */
    @Override
    @EnsuresCalledMethods(value = "this.session", methods = "close")
    public void close() {
        session.close();
    }
}
