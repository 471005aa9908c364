package dev.deed.kernel.soak;

import dev.deed.process.Errno;
import dev.deed.process.ProcessInfo;
import dev.deed.process.SyscallException;
import dev.deed.process.WaitResult;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What a flagship step expects of a command's result: a value, an errno, or the process ended by a signal. */
final class Expect {
    /** SIGSEGV and SIGKILL as a parent sees them: 128 + the signal. */
    static final int SIGSEGV = 128 + 11;
    static final int SIGKILL = 128 + 9;

    private Expect() {
    }

    static Object ok(@Nullable Object result) {
        if (result == null || result instanceof Exception) {
            throw new AssertionError("the syscall failed: " + result, result instanceof Exception cause ? cause : null);
        }
        return result;
    }

    static void errno(@Nullable Object result, Errno errno) {
        if (!(result instanceof SyscallException e) || e.errno() != errno) {
            throw new AssertionError("expected " + errno + ", got " + result, result instanceof Exception cause ? cause : null);
        }
    }

    /**
     * The command's thread never came back because a signal ended {@code p} with one of
     * {@code statuses}: the exit status is read where the kernel keeps it — the zombie, or the
     * result of the blocking waitpid that reaped it at once. Updates the model.
     */
    static void signalled(World w, SoakModel model, SoakModel.Proc p, @Nullable Object result, Set<Integer> statuses) {
        if (result != null) {
            throw new AssertionError("pid " + p.pid + " should have been ended by a signal " + statuses + ", the access gave " + result,
                    result instanceof Exception cause ? cause : null);
        }
        SoakModel.Proc parent = model.procs.get(p.ppid);
        int status;
        if (parent != null && parent.waiting) {
            WaitResult reaped = (WaitResult) ok(w.agents.result(parent.mainTid));
            if (reaped.pid() != p.pid) {
                throw new AssertionError("pid " + parent.pid + "'s waitpid reaped " + reaped.pid() + ", not the signalled " + p.pid);
            }
            status = reaped.status();
        } else {
            ProcessInfo info = w.kernel.processes().info(p.pid).orElseThrow(() -> new AssertionError("pid " + p.pid + " vanished"));
            status = info.exitStatus();
        }
        if (!statuses.contains(status)) {
            throw new AssertionError("pid " + p.pid + " ended with status " + status + ", expected one of " + statuses
                    + " (" + w.kernel.processes().crash(p.pid).orElse("no crash recorded") + ")");
        }
        if (status == SIGKILL) {
            model.refusals.recordKilled();
        }
        model.exited(p);
    }
}
