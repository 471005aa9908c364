package dev.deed.kernel.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.deed.frame.FaultPlan;
import dev.deed.frame.FaultSite;
import dev.deed.frame.OutOfFramesException;
import dev.deed.process.Errno;
import dev.deed.process.SyscallException;
import java.util.List;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The failure sweep: runs a call with the k-th allocation failing, for k = 1, 2, … until it
 * succeeds. Every refused attempt must report an errno (or, below the syscall surface, an
 * out-of-memory exception) and leave every count of the resource report as it was before the call
 * (caches settled on both sides). Callable from inside the kernel (a task) or from outside.
 */
final class Sweep {
    /** What a sweep saw: how many attempts were refused before the call went through, and its result. */
    record Outcome<T>(int refused, T result) {
    }

    private Sweep() {
    }

    /** A syscall swept with every allocation at any site failing in turn. */
    static <T> Outcome<T> syscall(Kernel kernel, String what, Callable<T> call) {
        return run(kernel, what, null, call);
    }

    /** As {@link #syscall}, failing only allocations at {@code site}. */
    static <T> Outcome<T> syscall(Kernel kernel, String what, @Nullable FaultSite site, Callable<T> call) {
        return run(kernel, what, site, call);
    }

    private static <T> Outcome<T> run(Kernel kernel, String what, @Nullable FaultSite site, Callable<T> call) {
        FaultPlan plan = kernel.frames().faults();
        for (int k = 1; k <= 100_000; k++) {
            kernel.settle();
            ResourceReport before = kernel.report();
            plan.failNth(k, site);
            T result;
            try {
                result = call.call();
            } catch (SyscallException e) {
                plan.clear();
                assertTrue(List.of(Errno.ENOMEM, Errno.EAGAIN).contains(e.errno()),
                        what + " with allocation " + k + " failing: " + e.getMessage());
                requireUnchanged(kernel, before, what, k, e);
                continue;
            } catch (OutOfFramesException e) {
                plan.clear();
                requireUnchanged(kernel, before, what, k, e);
                continue;
            } catch (Exception e) {
                plan.clear();
                throw new AssertionError(what + " with allocation " + k + " failing threw " + e, e);
            } catch (Error unwinding) { // a successful exec (or exit) unwinds the calling thread
                boolean reached = !plan.nthPending();
                plan.clear();
                if (reached) {
                    fail(what + " went through although its allocation " + k + " was made to fail");
                }
                throw unwinding;
            }
            boolean reached = !plan.nthPending();
            plan.clear();
            if (reached) {
                fail(what + " succeeded although its allocation " + k + " was made to fail");
            }
            return new Outcome<>(k - 1, result);
        }
        throw new AssertionError(what + " never succeeded");
    }

    private static void requireUnchanged(Kernel kernel, ResourceReport before, String what, int k, Exception why) {
        kernel.settle();
        ResourceReport after = kernel.report();
        assertEquals(before, after, what + " refused at allocation " + k + " (" + why.getMessage() + ") changed the kernel:\n"
                + after.compareTo(before));
        String references = kernel.processes().verifyUserFrames(kernel.frames());
        assertEquals(null, references, what + " refused at allocation " + k + " left a reference count wrong");
    }
}
