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

    /** Every syscall's entry: one clock tick of kernel time for this thread, and the exit check. */
    private void enter(String syscall) {
        charge(syscall);
        kernel.checkpoint(self);
    }

    /** One clock tick of kernel time for this thread in {@code syscall} (a step boundary). */
    private void charge(String syscall) {
        ctx.charge(false);
        kernel.entered(self, ctx.tid(), syscall);
    }

    public int getpid() {
        enter("getpid");
        return self.pid;
    }

    public int getppid() {
        enter("getppid");
        return self.ppid();
    }

    /** The CPU the calling thread runs on now (it may move at any step). */
    public int cpu() {
        return ctx.cpu();
    }

    /** The calling thread's task id. */
    public int gettid() {
        return ctx.tid();
    }

    /** Creates a child with a copy of this address space; the child's main thread runs {@code child}. Returns its pid. */
    public int fork(ProcessBody child) {
        enter("fork");
        return kernel.fork(self, child);
    }

    /** Replaces this process's address space with {@code program}'s and runs its entry; does not return. */
    public void exec(Program program) {
        enter("exec");
        kernel.exec(self, program);
    }

    /** Ends the process with {@code status}: this thread now, the others at their next syscall. */
    public void exit(int status) {
        charge("exit");
        kernel.exit(self, status);
    }

    /** Waits for a child ({@code pid}, or any with -1) to exit and reaps it; with {@code noHang}, returns pid 0 if none has. */
    public WaitResult waitpid(int pid, boolean noHang) {
        charge("waitpid");
        return kernel.waitpid(self, ctx, pid, noHang);
    }

    public WaitResult waitpid(int pid) {
        return waitpid(pid, false);
    }

    /** Another thread in this process; returns its tid. */
    public int spawnThread(ProcessBody body) {
        charge("spawnThread");
        return kernel.spawnThread(self, body);
    }

    /** Ends this thread; the last thread's exit ends the process (status 0 unless exit() set one). */
    public void exitThread() {
        enter("exitThread");
        throw new ProcessTable.ThreadExit();
    }

    /** As {@link #mmap(long, long, String, boolean)}, demand-zero. */
    public long mmap(long hint, long length, String prot) {
        return mmap(hint, length, prot, false);
    }

    /**
     * Anonymous private memory: pages come zeroed at their first touch, or all now with
     * {@code populate} (MAP_POPULATE; ENOMEM, with nothing changed, if they cannot all be had).
     */
    public long mmap(long hint, long length, String prot, boolean populate) {
        enter("mmap");
        Rights rights = Rights.parse(prot);
        try {
            long at = self.space().mmap(hint, length, rights, populate);
            self.notePeak();
            return at;
        } catch (RuntimeException refused) {
            throw ProcessTable.refusal(refused);
        }
    }

    public void munmap(long address, long length) {
        enter("munmap");
        try {
            self.space().munmap(address, length);
        } catch (RuntimeException refused) {
            throw ProcessTable.refusal(refused);
        }
    }

    public void mprotect(long address, long length, String prot) {
        enter("mprotect");
        Rights rights = Rights.parse(prot);
        try {
            self.space().mprotect(address, length, rights);
        } catch (RuntimeException refused) {
            throw ProcessTable.refusal(refused);
        }
    }

    /**
     * Loads 8 bytes from user memory through the MMU; a page fault the kernel cannot resolve ends the
     * process with SIGSEGV (status 139), one it runs out of memory for with SIGKILL (137).
     */
    public long load64(long va) {
        return kernel.load64(self, ctx, va);
    }

    /** Stores 8 bytes to user memory through the MMU; faults as {@link #load64}. */
    public void store64(long va, long value) {
        kernel.store64(self, ctx, va, value);
    }

    /** Terminates process {@code pid} (SIGKILL: status 137). */
    public void kill(int pid) {
        enter("kill");
        kernel.kill(self, pid);
    }

    /** Sleeps until {@link ProcessTable#wake} wakes this thread (POSIX pause, with the kernel as the only signaller). */
    public void pause() {
        enter("pause");
        ctx.park();
        enter("pause");
    }

    public void yieldNow() {
        enter("yieldNow");
        ctx.yieldNow();
    }

    /** Reads a file of the mounted file system ({@code /proc/self} is this process). */
    public String read(String path) {
        enter("read");
        String text = kernel.fileSystem().read(path, self.pid);
        self.countRead(text.length());
        return text;
    }

    /** What {@code path} names, without following a final link. */
    public FileStat stat(String path) {
        enter("stat");
        return kernel.fileSystem().stat(path, self.pid);
    }

    public List<String> list(String path) {
        enter("list");
        return kernel.fileSystem().list(path, self.pid);
    }
}
