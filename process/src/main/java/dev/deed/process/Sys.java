package dev.deed.process;

import dev.deed.task.TaskContext;
import java.util.List;

/**
 * The syscalls a process thread makes. One per thread; only that thread may use it. Every call is a
 * point where a thread of an exiting (or killed) process ends.
 */
public final class Sys {
    private final ProcessTable kernel;
    private final Process self;
    private final TaskContext ctx;

    Sys(ProcessTable kernel, Process self, TaskContext ctx) {
        this.kernel = kernel;
        this.self = self;
        this.ctx = ctx;
    }

    public int getpid() {
        kernel.checkpoint(self);
        return self.pid;
    }

    public int getppid() {
        kernel.checkpoint(self);
        return self.ppid();
    }

    /** The calling thread's task id. */
    public int gettid() {
        return ctx.tid();
    }

    /** Creates a child with a copy of this address space; the child's main thread runs {@code child}. Returns its pid. */
    public int fork(ProcessBody child) {
        kernel.checkpoint(self);
        return kernel.fork(self, child);
    }

    /** Replaces this process's address space with {@code program}'s and runs its entry; does not return. */
    public void exec(Program program) {
        kernel.checkpoint(self);
        kernel.exec(self, program);
    }

    /** Ends the process with {@code status}: this thread now, the others at their next syscall. */
    public void exit(int status) {
        kernel.exit(self, status);
    }

    /** Waits for a child ({@code pid}, or any with -1) to exit and reaps it; with {@code noHang}, returns pid 0 if none has. */
    public WaitResult waitpid(int pid, boolean noHang) {
        return kernel.waitpid(self, ctx, pid, noHang);
    }

    public WaitResult waitpid(int pid) {
        return waitpid(pid, false);
    }

    /** Another thread in this process; returns its tid. */
    public int spawnThread(ProcessBody body) {
        return kernel.spawnThread(self, body);
    }

    /** Ends this thread; the last thread's exit ends the process (status 0 unless exit() set one). */
    public void exitThread() {
        kernel.checkpoint(self);
        throw new ProcessTable.ThreadExit();
    }

    /** Anonymous private memory (ENOMEM, with nothing changed, if it cannot all be had). */
    public long mmap(long hint, long length, String prot) {
        kernel.checkpoint(self);
        Rights rights = Rights.parse(prot);
        try {
            return self.space().mmap(hint, length, rights);
        } catch (RuntimeException refused) {
            throw ProcessTable.refusal(refused);
        }
    }

    public void munmap(long address, long length) {
        kernel.checkpoint(self);
        try {
            self.space().munmap(address, length);
        } catch (RuntimeException refused) {
            throw ProcessTable.refusal(refused);
        }
    }

    public void mprotect(long address, long length, String prot) {
        kernel.checkpoint(self);
        Rights rights = Rights.parse(prot);
        try {
            self.space().mprotect(address, length, rights);
        } catch (RuntimeException refused) {
            throw ProcessTable.refusal(refused);
        }
    }

    /** Loads 8 bytes from user memory through the MMU (EFAULT on a fault). */
    public long load64(long va) {
        return kernel.load64(self, va);
    }

    /** Stores 8 bytes to user memory through the MMU (EFAULT on a fault). */
    public void store64(long va, long value) {
        kernel.store64(self, va, value);
    }

    /** Terminates process {@code pid} (SIGKILL: status 137). */
    public void kill(int pid) {
        kernel.checkpoint(self);
        kernel.kill(self, pid);
    }

    /** Sleeps until {@link ProcessTable#wake} wakes this thread (POSIX pause, with the kernel as the only signaller). */
    public void pause() {
        kernel.checkpoint(self);
        ctx.park();
        kernel.checkpoint(self);
    }

    public void yieldNow() {
        kernel.checkpoint(self);
        ctx.yieldNow();
    }

    /** Reads a file of the mounted file system ({@code /proc/self} is this process). */
    public String read(String path) {
        kernel.checkpoint(self);
        return kernel.fileSystem().read(path, self.pid);
    }

    public List<String> list(String path) {
        kernel.checkpoint(self);
        return kernel.fileSystem().list(path, self.pid);
    }
}
