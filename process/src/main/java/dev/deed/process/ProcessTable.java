package dev.deed.process;

import dev.deed.frame.FrameAllocator;
import dev.deed.heap.KernelHeap;
import dev.deed.paging.Access;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.Mmu;
import dev.deed.paging.PageFault;
import dev.deed.paging.PageTable;
import dev.deed.paging.Privilege;
import dev.deed.paging.Tlb;
import dev.deed.paging.VirtAddr;
import dev.deed.paging.spi.PagingFormat;
import dev.deed.task.Scheduler;
import dev.deed.task.TaskContext;
import dev.deed.task.TaskHandle;
import dev.deed.task.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The process subsystem: the pid table (pid → process, the only strong index of processes), the
 * syscalls' implementations, and reaping. Everything outside it names processes by pid.
 *
 * <p>The table owns every process, address space and thread handle it creates and releases them in
 * {@link #reap}; the Resource Leak Checker cannot follow ownership into its maps and lists, so those
 * findings are suppressed here. The free order inside a process is still checked ({@link Process#destroy}),
 * and the lifecycle properties check at run time that everything comes back.
 */
@SuppressWarnings({"required.method.not.called", "mustcall:type.argument", "mustcall:type.arguments.not.inferred"})
public final class ProcessTable {
    /** Ends a thread's body (exit, exitThread, a kill noticed at a syscall). */
    static final class ThreadExit extends Error {
        private static final long serialVersionUID = 1L;

        ThreadExit() {
            super("thread exit", null, false, false);
        }
    }

    /** Unwinds the calling thread into a freshly exec'd program's entry. */
    static final class Exec extends Error {
        private static final long serialVersionUID = 1L;
        final transient Program program;

        Exec(Program program) {
            super("exec", null, false, false);
            this.program = program;
        }
    }

    public static final int INIT = 1;

    private final FrameAllocator frames;
    private final KernelHeap heap;
    private final Scheduler scheduler;
    private final PagingFormat format;
    private final PidAllocator pids = new PidAllocator();
    private final TreeMap<Integer, Process> byPid = new TreeMap<>();
    private final Tlb[] tlbs;
    private @Nullable FileSystem fs;
    /** The user root register last loaded on the CPU: on a format without ASIDs, a change flushes the TLB (a CR3 write). */
    private long loadedRoot = -1;

    public ProcessTable(FrameAllocator frames, KernelHeap heap, Scheduler scheduler, PageTable<KernelSpace> kernel) {
        this.frames = frames;
        this.heap = heap;
        this.scheduler = scheduler;
        this.format = kernel.format();
        this.tlbs = new Tlb[] {scheduler.mmu(0).tlb()};
    }

    /** Makes /proc (or another read-only file system) readable through {@link Sys#read}. */
    public void mount(FileSystem fileSystem) {
        this.fs = fileSystem;
    }

    /** Creates init (pid 1) running {@code program}; call once, then run the scheduler. */
    public int startInit(Program program) {
        if (byPid.containsKey(INIT)) {
            throw new SyscallException(Errno.EPERM, "init is already running");
        }
        Process init = create(0, program.name(), program.argv(), newSpace(INIT));
        load(init, program);
        startThread(init, "main", program.entry());
        return init.pid;
    }

    /**
     * Reaps init once it has exited (nobody else can: it has no parent), so a finished system holds
     * nothing. Refused while init lives or still has children.
     */
    public int reapInit() {
        Process init = byPid.get(INIT);
        if (init == null) {
            throw new SyscallException(Errno.ESRCH, "init is not running");
        }
        if (init.state != ProcessState.ZOMBIE || !init.children.isEmpty()) {
            throw new SyscallException(Errno.EAGAIN, "init cannot be reaped: it is " + init.state
                    + " with " + init.children.size() + " children");
        }
        int status = init.exitStatus;
        reapOrphan(init);
        return status;
    }

    /** Wakes thread {@code tid} from {@link Sys#pause()} (from outside the tasks, between runs). */
    public void wake(int tid) {
        for (Process p : byPid.values()) {
            for (TaskHandle t : p.threads) {
                if (t.tid() == tid && t.state() != TaskState.EXITED) {
                    scheduler.unpark(t);
                    return;
                }
            }
        }
        throw new SyscallException(Errno.ESRCH, "no live thread " + tid);
    }

    /** Where {@code va} of process {@code pid} is in physical memory, if it is mapped (for checks and tools). */
    public java.util.OptionalLong physicalAddress(int pid, long va) {
        Process p = byPid.get(pid);
        if (p == null) {
            return java.util.OptionalLong.empty();
        }
        try {
            return java.util.OptionalLong.of(p.space.pa(va));
        } catch (SyscallException notMapped) {
            return java.util.OptionalLong.empty();
        }
    }

    /** Live and zombie pids, ascending. */
    public List<Integer> pids() {
        return List.copyOf(byPid.keySet());
    }

    public int count() {
        return byPid.size();
    }

    public int pidsInUse() {
        return pids.count();
    }

    /** A snapshot of process {@code pid}, if it exists (a zombie included). */
    public Optional<ProcessInfo> info(int pid) {
        Process p = byPid.get(pid);
        if (p == null) {
            return Optional.empty();
        }
        return Optional.of(new ProcessInfo(p.pid, p.ppid, p.name, p.state, p.liveThreads, p.space.mappedBytes(),
                p.space.mappedBytes(), p.argv, p.space.areas(), p.exitStatus, p.debugCmdline()));
    }

    /** The crash message of a process whose thread threw, if any (for transcripts). */
    public Optional<String> crash(int pid) {
        Process p = byPid.get(pid);
        return p == null ? Optional.empty() : Optional.ofNullable(p.crash);
    }

    // ---- syscalls (called through Sys, on the calling thread) ----

    int fork(Process parent, ProcessBody child) {
        int pid = pids.allocate();
        AddressSpace copy;
        try {
            copy = parent.space.copy(pid);
        } catch (SyscallException e) {
            pids.free(pid);
            throw e;
        }
        Process p = create(parent.pid, parent.name, parent.argv, copy, pid);
        parent.children.add(p);
        startThread(p, "main", child);
        return pid;
    }

    void exec(Process self, Program program) {
        validate(program);
        if (self.liveThreads > 1) {
            throw new SyscallException(Errno.EAGAIN, "exec in " + self + " with " + self.liveThreads
                    + " threads alive: Deed execs only single-threaded processes");
        }
        AddressSpace old = self.space;
        AddressSpace fresh = newSpace(self.pid);
        self.space = fresh;
        try {
            load(self, program);
        } catch (SyscallException e) {
            self.space = old;
            fresh.destroy().flush(tlbs);
            throw e;
        }
        old.destroy().flush(tlbs);
        self.name = program.name();
        self.argv = program.argv();
        self.writeNames();
        throw new Exec(program);
    }

    void exit(Process self, int status) {
        if (!self.exiting) {
            self.exiting = true;
            self.exitStatus = status;
            self.writeStruct();
            wakeAll(self);
        }
        throw new ThreadExit();
    }

    WaitResult waitpid(Process self, TaskContext ctx, int pid, boolean noHang) {
        if (pid == 0 || pid < -1) {
            throw new SyscallException(Errno.EINVAL, "waitpid(" + pid + "): process groups are not supported; use -1 or a pid");
        }
        while (true) {
            checkpoint(self);
            List<Process> mine = self.children.stream().filter(c -> pid == -1 || c.pid == pid).toList();
            if (mine.isEmpty()) {
                throw new SyscallException(Errno.ECHILD, pid == -1 ? self + " has no children"
                        : "pid " + pid + " is not a child of " + self);
            }
            for (Process c : mine) {
                if (c.state == ProcessState.ZOMBIE) {
                    int status = c.exitStatus;
                    reap(self, c);
                    return new WaitResult(c.pid, status);
                }
            }
            if (noHang) {
                return WaitResult.NONE;
            }
            ctx.waitOn(self.childEvents);
        }
    }

    int spawnThread(Process self, ProcessBody body) {
        checkpoint(self);
        return startThread(self, "thread", body);
    }

    void kill(Process self, int pid) {
        Process target = byPid.get(pid);
        if (target == null || target.state == ProcessState.ZOMBIE) {
            throw new SyscallException(Errno.ESRCH, "no live process " + pid);
        }
        if (target.pid == INIT) {
            throw new SyscallException(Errno.EPERM, "init cannot be killed");
        }
        if (!target.exiting) {
            target.exiting = true;
            target.exitStatus = 128 + 9;
            target.writeStruct();
        }
        if (target == self) {
            throw new ThreadExit();
        }
        wakeAll(target);
    }

    long load64(Process self, long va) {
        return access(self, va, Access.READ, 0, false);
    }

    void store64(Process self, long va, long value) {
        access(self, va, Access.WRITE, value, true);
    }

    FileSystem fileSystem() {
        FileSystem f = fs;
        if (f == null) {
            throw new SyscallException(Errno.EPERM, "no file system is mounted");
        }
        return f;
    }

    /** At every syscall: a thread of an exiting process ends here. */
    void checkpoint(Process self) {
        if (self.exiting) {
            throw new ThreadExit();
        }
    }

    // ---- lifecycle ----

    private Process create(int ppid, String name, List<String> argv, AddressSpace space) {
        return create(ppid, name, argv, space, pids.allocate());
    }

    private Process create(int ppid, String name, List<String> argv, AddressSpace space, int pid) {
        Process p = new Process(pid, ppid, name, argv, space, heap, scheduler.newWaitQueue("children of " + pid));
        byPid.put(pid, p);
        return p;
    }

    private AddressSpace newSpace(int pid) {
        return new AddressSpace(format, frames, pid, tlbs);
    }

    private void load(Process p, Program program) {
        for (Program.Segment s : program.segments()) {
            p.space.mapArea(s.base(), s.size(), s.rights(), s.name());
        }
        long stackTop = p.space.top() - AddressSpace.PAGE; // a guard page at the top of user space
        p.space.mapArea(stackTop - program.stackSize(), program.stackSize(), Rights.RW, "[stack]");
    }

    private void validate(Program program) {
        if (program.name().isBlank() || program.argv().isEmpty()) {
            throw new SyscallException(Errno.ENOEXEC, "program '" + program.name() + "' needs a name and an argv[0]");
        }
        if (program.stackSize() <= 0 || program.stackSize() % AddressSpace.PAGE != 0 || program.stackSize() > (64L << 20)) {
            throw new SyscallException(Errno.ENOEXEC, "program '" + program.name() + "': stack size " + program.stackSize()
                    + " must be a positive multiple of 4096 up to 64 MiB");
        }
        List<Program.Segment> sorted = new ArrayList<>(program.segments());
        sorted.sort(java.util.Comparator.comparingLong(Program.Segment::base));
        for (int i = 0; i < sorted.size(); i++) {
            Program.Segment s = sorted.get(i);
            if (s.base() % AddressSpace.PAGE != 0 || s.size() <= 0 || s.size() % AddressSpace.PAGE != 0 || s.base() < AddressSpace.PAGE) {
                throw new SyscallException(Errno.ENOEXEC, "program '" + program.name() + "': segment " + s.name()
                        + " must have a page-aligned base above 0 and a positive page-multiple size");
            }
            if (i > 0 && sorted.get(i - 1).base() + sorted.get(i - 1).size() > s.base()) {
                throw new SyscallException(Errno.ENOEXEC, "program '" + program.name() + "': segments "
                        + sorted.get(i - 1).name() + " and " + s.name() + " overlap");
            }
        }
    }

    private int startThread(Process p, String role, ProcessBody body) {
        p.liveThreads++;
        p.writeStruct();
        TaskHandle handle = scheduler.spawn(p.name + "/" + p.pid + "/" + role, ctx -> runThread(p, ctx, body));
        p.threads.add(handle);
        return handle.tid();
    }

    /** The body of every process thread: runs it (and any program it execs), then counts the thread out. */
    private void runThread(Process p, TaskContext ctx, ProcessBody body) {
        Sys sys = new Sys(this, p, ctx);
        ProcessBody next = body;
        try {
            while (true) {
                try {
                    next.run(sys);
                    break;
                } catch (Exec exec) {
                    next = exec.program.entry();
                }
            }
        } catch (ThreadExit exit) {
            // exit, exitThread, or a kill noticed at a syscall
        } catch (Throwable crash) {
            if (!p.exiting) {
                p.crash = crash.getClass().getSimpleName() + ": " + crash.getMessage();
                p.exiting = true;
                p.exitStatus = 128 + 6;
                wakeAll(p);
            }
        }
        threadExited(p);
    }

    /** The last thread out makes the process a zombie: orphans go to init, the parent is woken. */
    private void threadExited(Process p) {
        p.liveThreads--;
        if (p.liveThreads > 0) {
            p.writeStruct();
            return;
        }
        p.state = ProcessState.ZOMBIE;
        p.writeStruct();
        Process init = byPid.get(INIT);
        if (init != null && init != p) {
            for (Process orphan : p.children) {
                orphan.ppid = INIT;
                orphan.writeStruct();
                init.children.add(orphan);
            }
            p.children.clear();
            if (init.children.stream().anyMatch(c -> c.state == ProcessState.ZOMBIE)) {
                wakeWaiters(init);
            }
        }
        Process parent = byPid.get(p.ppid);
        if (parent != null) {
            wakeWaiters(parent);
        }
    }

    /**
     * Reaps a zombie child: its threads (the main thread's kernel stack is freed here, by the reaper),
     * then the process (buffer, address space, struct). The reaper must hold the last reference.
     */
    private void reap(Process parent, Process child) {
        parent.children.remove(child);
        if (byPid.get(child.pid) != child || !child.children.isEmpty()) {
            throw new IllegalStateException("the reaper of " + child + " does not hold the last reference: "
                    + (byPid.get(child.pid) != child ? "the pid table maps " + child.pid + " elsewhere" : "it still has children"));
        }
        for (TaskHandle t : child.threads) {
            if (t.state() != TaskState.EXITED) {
                throw new IllegalStateException("the reaper of " + child + " found " + t + " not exited");
            }
            t.release();
        }
        child.threads.clear();
        byPid.remove(child.pid);
        pids.free(child.pid);
        child.destroy(tlbs);
    }

    private void reapOrphan(Process init) {
        for (TaskHandle t : init.threads) {
            t.release();
        }
        init.threads.clear();
        byPid.remove(init.pid);
        pids.free(init.pid);
        init.destroy(tlbs);
    }

    /** Wakes the threads of {@code p} waiting in waitpid: a child changed state. */
    private void wakeWaiters(Process p) {
        scheduler.wakeAll(p.childEvents);
    }

    /** Wakes every thread of {@code p} that sleeps, in waitpid or in pause(): the process is ending. */
    private void wakeAll(Process p) {
        scheduler.wakeAll(p.childEvents);
        for (TaskHandle t : p.threads) {
            if (t.state() == TaskState.PARKED) {
                scheduler.unpark(t);
            }
        }
    }

    private long access(Process self, long va, Access access, long value, boolean write) {
        checkpoint(self);
        if (va % 8 != 0) {
            throw new SyscallException(Errno.EINVAL, "0x" + Long.toHexString(va) + " is not 8-byte aligned");
        }
        Mmu mmu = scheduler.mmu(0);
        long root = self.space.root();
        if (!format.hasAsids() && root != loadedRoot) {
            mmu.tlb().invalidateNonGlobal(); // a CR3 write
        }
        loadedRoot = root;
        long pa;
        try {
            pa = mmu.translate(root, VirtAddr.of(va), access, Privilege.USER);
        } catch (PageFault fault) {
            throw new SyscallException(Errno.EFAULT, String.valueOf(fault.getMessage()));
        }
        if (write) {
            frames.memory().writeU64(pa, value);
            return value;
        }
        return frames.memory().readU64(pa);
    }
}
