package dev.deed.process;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Probe;
import dev.deed.frame.OutOfFramesException;
import dev.deed.heap.KernelHeap;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.PageTable;
import dev.deed.task.Scheduler;
import dev.deed.task.TaskContext;
import dev.deed.task.TaskState;
import dev.deed.task.TaskTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The process subsystem: the pid index, process creation (init, fork), threads, exec, exit, kill
 * and waitpid. Everything outside it names processes by pid.
 *
 * <p>Ownership: a parent owns its children until it reaps them (orphans pass to init); this table
 * owns init. The pid index holds weak references only (as Asterinas' fix for B4 does), so nothing
 * but an owner keeps a process alive, and a reaped process is unreachable through every index.
 *
 * <p>Every call that allocates either completes or undoes what it took, in the operation that took
 * it, and a refusal reaches the caller as a {@link SyscallException} (ENOMEM, EAGAIN for pids).
 */
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

    private final KernelHeap heap;
    private final Scheduler scheduler;
    private final PidAllocator pids;
    /** pid → process, weakly: an index, never an owner. */
    private final PidIndex byPid = new PidIndex();
    private final ExecLoader loader;
    private final UserMemory userMemory;
    private final Probe probe;
    private final Reaper reaper;
    /** The kernel's own child: it owns init as a parent owns its children, until {@link #reapInit}. */
    private final Children kernelChild = new Children();
    private @Nullable FileSystem fs;
    private final PlantedInodeCache inodeCache;
    /** Ids of threads other than main threads: taken from the pid space, given back when the thread is released. */
    private final java.util.Set<Integer> threadIds = new java.util.TreeSet<>();
    /** Every thread's process, by thread id, until the thread is released. */
    private final java.util.Map<Integer, Integer> threadOwner = new java.util.TreeMap<>();
    private long forks;
    /** What ended process threads by throwing, in order: the kernel's own checks included. */
    private final List<Throwable> crashes = new ArrayList<>();

    public ProcessTable(FrameAllocator frames, KernelHeap heap, Scheduler scheduler, PageTable<KernelSpace> kernel) {
        this.heap = heap;
        this.scheduler = scheduler;
        this.pids = new PidAllocator(frames.faults());
        this.loader = new ExecLoader(kernel.format(), frames);
        this.probe = frames.probe();
        this.userMemory = new UserMemory(scheduler.cpus(), frames.memory(), probe);
        this.reaper = new Reaper(byPid, pids, scheduler);
        this.inodeCache = new PlantedInodeCache(frames.faults());
        scheduler.whenReleased(this::threadReleased);
    }

    /** A thread's task is gone: its ticks go to its process, and a non-main thread's id back to the pid space. */
    private void threadReleased(TaskTimes t) {
        if (threadIds.remove(t.tid())) {
            pids.free(t.tid());
        }
        Integer pid = threadOwner.remove(t.tid());
        Process p = pid == null ? null : lookup(pid);
        if (p != null) {
            p.threadEnded(t.utime(), t.stime(), t.voluntary(), t.involuntary());
        }
    }

    /** Makes /proc (or another read-only file system) readable through {@link Sys#read}. */
    public void mount(FileSystem fileSystem) {
        this.fs = fileSystem;
    }

    /**
     * Creates init (pid 1) running {@code program}; call once, then run the scheduler. All or
     * nothing: a refusal (ENOMEM) leaves no process, pid or task behind.
     */
    public int startInit(Program program) {
        if (!kernelChild.isEmpty() || pids.inUse(INIT)) {
            throw new SyscallException(Errno.EPERM, "init is already running");
        }
        Process p = launch(null, program, program.entry());
        kernelChild.adopt(p);
        return p.pid;
    }

    /**
     * Reaps init once it has exited (nobody else can: it has no parent), so a finished system holds
     * nothing. Refused while init lives or still has children.
     */
    public int reapInit() {
        Process p = init();
        if (p == null) {
            throw new SyscallException(Errno.ESRCH, "init is not running");
        }
        if (p.state() != ProcessState.ZOMBIE || p.childCount() != 0) {
            throw new SyscallException(Errno.EAGAIN, "init cannot be reaped: it is " + p.state()
                    + " with " + p.childCount() + " children");
        }
        reaper.requireReapable(p);
        Process zombie = kernelChild.disown(INIT);
        if (zombie == null) {
            throw new IllegalStateException("the kernel lost init");
        }
        probe.report(Probe.Event.REAP, INIT, 0, null);
        return reaper.reap(zombie);
    }

    /** Wakes thread {@code tid} from {@link Sys#pause()} (from outside the tasks, between runs). */
    public void wake(int tid) {
        for (int pid : byPid.pids()) {
            Process p = byPid.get(pid);
            if (p != null && p.threadIds().contains(tid)) {
                scheduler.unpark(tid);
                return;
            }
        }
        throw new SyscallException(Errno.ESRCH, "no live thread " + tid);
    }

    /** Where {@code va} of process {@code pid} is in physical memory, if it is mapped (for checks and tools). */
    public java.util.OptionalLong physicalAddress(int pid, long va) {
        Process p = lookup(pid);
        if (p == null || !p.hasSpace()) {
            return java.util.OptionalLong.empty();
        }
        try {
            return java.util.OptionalLong.of(p.space().pa(va));
        } catch (SyscallException notMapped) {
            return java.util.OptionalLong.empty();
        }
    }

    /** The leaf mappings of process {@code pid}'s page table, by address; empty for a zombie or an unknown pid (for observers). */
    public List<dev.deed.paging.Mapping> mappingsOf(int pid) {
        Process p = lookup(pid);
        return p == null || !p.hasSpace() ? List.of() : p.space().mappings();
    }

    /** The nodes of process {@code pid}'s page table, the root first; empty for a zombie or an unknown pid (for observers). */
    public List<dev.deed.paging.TableNode> tableNodesOf(int pid) {
        Process p = lookup(pid);
        return p == null || !p.hasSpace() ? List.of() : p.space().tableNodes();
    }

    /** Live and zombie pids, ascending. */
    public List<Integer> pids() {
        return byPid.pids();
    }

    public int count() {
        return byPid.size();
    }

    public int pidsInUse() {
        return pids.count();
    }

    /** Ids of every live thread of every process, ascending by pid. */
    public List<Integer> liveThreads() {
        List<Integer> tids = new java.util.ArrayList<>();
        for (int pid : byPid.pids()) {
            Process p = byPid.get(pid);
            if (p != null) {
                tids.addAll(p.threadIds());
            }
        }
        return tids;
    }

    /**
     * A snapshot of process {@code pid}, if it exists (a zombie included). A zombie, as on Linux,
     * has no memory and shows one thread.
     */
    public Optional<ProcessInfo> info(int pid) {
        Process p = lookup(pid);
        if (p == null) {
            return Optional.empty();
        }
        boolean zombie = !p.hasSpace();
        long size = zombie ? 0 : p.space().mappedBytes();
        long resident = zombie ? 0 : p.space().residentBytes();
        List<ThreadInfo> tasks = new ArrayList<>();
        long utime = p.deadUtime();
        long stime = p.deadStime();
        for (int tid : p.threadIds()) {
            TaskTimes t = scheduler.times(tid).orElse(null);
            if (t != null) {
                tasks.add(new ThreadInfo(tid, p.name(), stateCode(t.state()), t.utime(), t.stime(), t.startTick(), t.voluntary(),
                        t.involuntary(), t.cpu()));
                utime += t.utime();
                stime += t.stime();
            }
        }
        if (zombie) { // as on Linux, a zombie's task list holds its leader, a zombie too, with what its threads did
            tasks.add(new ThreadInfo(p.pid, p.name(), 'Z', utime, stime, p.startTick(), p.deadVoluntary(), p.deadInvoluntary(), 0));
        }
        char state = zombie ? 'Z' : tasks.isEmpty() ? 'S' : tasks.get(0).stateCode();
        return Optional.of(new ProcessInfo(p.pid, p.ppid(), p.pgid(), p.sid(), p.name(), state, p.state(),
                zombie ? 1 : p.liveThreads(), size, Math.max(size, p.peakBytes()), resident, zombie ? List.of() : p.argv(),
                zombie ? List.of() : p.space().areas(), p.exitStatus(), p.debugCmdline(), p.startTick(), utime, stime,
                p.childUtime(), p.childStime(), tasks, zombie ? 0 : p.space().pageTableBytes(), p.reads(), p.readBytes()));
    }

    /**
     * {@link #info} for a /proc entry: what procfs calls to show {@code /proc/<pid>/…}. While B4 is
     * planted, the lookup also caches the process strongly, as Asterinas' procfs inodes did.
     */
    public Optional<ProcessInfo> procEntry(int pid) {
        Process p = lookup(pid);
        if (p != null) {
            inodeCache.touched(p);
        }
        return info(pid);
    }

    /** Process {@code pid}'s mappings with their resident, dirty and referenced pages (empty for a zombie or no process). */
    public List<AreaUsage> memoryOf(int pid) {
        Process p = lookup(pid);
        return p == null || !p.hasSpace() ? List.of() : p.space().usage();
    }

    /** Linux's letter for a thread's state: running or runnable is R, blocked is S. */
    private static char stateCode(TaskState state) {
        return switch (state) {
            case RUNNING, RUNNABLE -> 'R';
            case PARKED, WAITING -> 'S';
            case EXITED, RELEASED -> 'Z';
        };
    }

    /** The process whose thread {@code tid} is, if {@code tid} is a live thread. */
    public Optional<Integer> processOfThread(int tid) {
        return Optional.ofNullable(threadOwner.get(tid));
    }

    /** The pid (or thread id) handed out last. */
    public int lastPid() {
        return pids.last();
    }

    /** Processes created since boot (init included): /proc/stat's {@code processes}. */
    public long forks() {
        return forks;
    }

    /** The simulated clock, in ticks since boot. */
    public long ticks() {
        return scheduler.ticks();
    }

    /** Everything that ended a process thread by throwing, in order (a refused step of a planted bug, say). */
    public List<Throwable> crashes() {
        return List.copyOf(crashes);
    }

    /** The crash message of a process whose thread threw, if any (for transcripts). */
    public Optional<String> crash(int pid) {
        Process p = lookup(pid);
        return p == null ? Optional.empty() : Optional.ofNullable(p.crash());
    }

    // ---- syscalls (called through Sys, on the calling thread) ----

    /**
     * A child with a copy of {@code parent}'s memory; its main thread runs {@code child}. All or
     * nothing: the pid, the struct, the copy and the thread are taken in that order and a refusal of
     * any gives back the ones before it (EAGAIN for a pid, ENOMEM for memory).
     */
    int fork(Process parent, ProcessBody child) {
        Process p = launch(parent, null, child);
        parent.adopt(p);
        probe.report(Probe.Event.FORK, parent.pid, p.pid, null);
        return p.pid;
    }

    /** Replaces {@code self}'s image with {@code program}'s once it is fully loaded; a refusal leaves the old image. */
    void exec(Process self, Program program) {
        if (self.liveThreads() > 1) {
            throw new SyscallException(Errno.EAGAIN, "exec in " + self + " with " + self.liveThreads()
                    + " threads alive: Deed execs only single-threaded processes");
        }
        AddressSpace loaded;
        try {
            loaded = loader.load(program, self.pid);
        } catch (RuntimeException refused) {
            throw refusal(refused);
        }
        self.replaceImage(loaded, program);
        self.notePeak();
        throw new Exec(program);
    }

    void exit(Process self, int status) {
        self.markExiting(status);
        wakeAll(self);
        throw new ThreadExit();
    }

    WaitResult waitpid(Process self, TaskContext ctx, int pid, boolean noHang) {
        if (pid == 0 || pid < -1) {
            throw new SyscallException(Errno.EINVAL, "waitpid(" + pid + "): process groups are not supported; use -1 or a pid");
        }
        while (true) {
            checkpoint(self);
            boolean any = false;
            for (int i = 0; i < self.childCount(); i++) {
                Process c = self.child(i);
                if (pid != -1 && c.pid != pid) {
                    continue;
                }
                any = true;
                if (c.state() == ProcessState.ZOMBIE) {
                    int reaped = c.pid;
                    reaper.requireReapable(c);
                    Process zombie = self.disown(reaped);
                    if (zombie == null) {
                        throw new IllegalStateException(self + " lost its child " + reaped);
                    }
                    self.childTicks(zombie.deadUtime() + zombie.childUtime(), zombie.deadStime() + zombie.childStime());
                    probe.report(Probe.Event.REAP, reaped, self.pid, null);
                    return new WaitResult(reaped, reaper.reap(zombie));
                }
            }
            if (!any) {
                throw new SyscallException(Errno.ECHILD, pid == -1 ? self + " has no children"
                        : "pid " + pid + " is not a child of " + self);
            }
            if (noHang) {
                return WaitResult.NONE;
            }
            ctx.waitOn(self.childEvents);
        }
    }

    /** Another thread in {@code self}; ENOMEM (nothing changed) if its kernel stack cannot be had. */
    int spawnThread(Process self, ProcessBody body) {
        checkpoint(self);
        try {
            return startThread(self, "thread", body);
        } catch (RuntimeException refused) {
            throw refusal(refused);
        }
    }

    void kill(Process self, int pid) {
        Process target = lookup(pid);
        if (target == null || target.state() == ProcessState.ZOMBIE) {
            throw new SyscallException(Errno.ESRCH, "no live process " + pid);
        }
        if (target.pid == INIT) {
            throw new SyscallException(Errno.EPERM, "init cannot be killed");
        }
        target.markExiting(128 + 9);
        if (target == self) {
            throw new ThreadExit();
        }
        wakeAll(target);
    }

    long load64(Process self, TaskContext ctx, long va) {
        checkpoint(self);
        ctx.charge(true);
        try {
            return userMemory.load64(self.pid, self.space(), va);
        } catch (UserMemory.Signal signal) {
            throw signalled(self, signal);
        }
    }

    void store64(Process self, TaskContext ctx, long va, long value) {
        checkpoint(self);
        ctx.charge(true);
        try {
            userMemory.store64(self.pid, self.space(), va, value);
        } catch (UserMemory.Signal signal) {
            throw signalled(self, signal);
        }
    }

    /** A fault the kernel could not resolve ends the process (SIGSEGV, or SIGKILL out of memory); this thread now. */
    private ThreadExit signalled(Process self, UserMemory.Signal signal) {
        self.signalled(signal.status, String.valueOf(signal.getMessage()));
        wakeAll(self);
        return new ThreadExit();
    }

    /** Page faults taken since boot (/proc/vmstat's pgfault). */
    public long pageFaults() {
        return userMemory.faults();
    }

    /**
     * The reference-count invariant for user memory: every user frame's reference count equals the
     * number of page-table leaves mapping it, in all address spaces (a mapped user frame has no other
     * handle open), every user frame is mapped, and a frame mapped more than once is mapped read-only
     * everywhere — else a write would reach another process's page. Returns the first violation, or
     * null. Linear in the mapped pages.
     */
    public @Nullable String verifyUserFrames(FrameAllocator frames) {
        java.util.TreeMap<Long, Integer> mappings = new java.util.TreeMap<>();
        java.util.TreeMap<Long, String> writable = new java.util.TreeMap<>();
        for (int pid : byPid.pids()) {
            Process p = byPid.get(pid);
            if (p != null && p.hasSpace()) {
                for (dev.deed.paging.Mapping m : p.space().mappings()) {
                    if (m.tracked()) {
                        mappings.merge(m.pa(), 1, Integer::sum);
                        if (m.props().write()) {
                            writable.putIfAbsent(m.pa(), String.format("pid %d at 0x%x", pid, m.va().value()));
                        }
                    }
                }
            }
        }
        for (var e : mappings.entrySet()) {
            int refs = frames.info(dev.deed.frame.PhysAddr.of(e.getKey())).references();
            if (refs != e.getValue()) {
                return String.format("frame 0x%x has %d references but %d mappings", e.getKey(), refs, e.getValue());
            }
            String writer = writable.get(e.getKey());
            if (refs > 1 && writer != null) {
                return String.format("frame 0x%x is shared by %d mappings but %s maps it writable", e.getKey(), refs, writer);
            }
        }
        long user = frames.stats().used(dev.deed.frame.Usage.USER);
        return user == mappings.size() ? null : user + " user frames, " + mappings.size() + " of them mapped";
    }

    FileSystem fileSystem() {
        FileSystem f = fs;
        if (f == null) {
            throw new SyscallException(Errno.EPERM, "no file system is mounted");
        }
        return f;
    }

    /** A syscall's entry, for observers. */
    void entered(Process self, int tid, String syscall) {
        probe.report(Probe.Event.SYSCALL, self.pid, tid, syscall);
    }

    /** At every syscall: a thread of an exiting process ends here. */
    void checkpoint(Process self) {
        if (self.isExiting()) {
            throw new ThreadExit();
        }
    }

    /**
     * What a syscall refused for lack of memory or pids reports: the errno, never another exception
     * type. Other failures are bugs and pass through as they are.
     */
    static RuntimeException refusal(RuntimeException e) {
        if (e instanceof OutOfFramesException oom) {
            return new SyscallException(Errno.ENOMEM, String.valueOf(oom.getMessage()));
        }
        return e;
    }

    // ---- creation ----

    /**
     * A new, indexed process whose main thread runs {@code body}, all or nothing: its pid and struct,
     * then its first address space (a copy of {@code parent}'s for fork, else {@code program}'s image
     * for init), then the thread; a refusal of any gives back the ones before it. The caller takes
     * ownership (the parent, or the kernel for init).
     */
    private Process launch(@Nullable Process parent, @Nullable Program program, ProcessBody body) {
        Process p = parent != null ? create(parent.pid, parent.name(), parent.argv())
                : create(0, requireImage(program).name(), requireImage(program).argv());
        try {
            p.attach(parent != null ? AddressSpace.copyOf(parent.space(), p.pid) : loader.load(requireImage(program), p.pid));
            startThread(p, "main", body);
        } catch (RuntimeException refused) {
            discard(p);
            throw refusal(refused);
        }
        if (parent != null) {
            p.placeAt(parent.pgid(), parent.sid(), scheduler.ticks());
        } else {
            p.placeAt(p.pid, p.pid, scheduler.ticks());
        }
        p.notePeak();
        forks++;
        byPid.add(p);
        return p;
    }

    private static Program requireImage(@Nullable Program program) {
        if (program == null) {
            throw new IllegalArgumentException("a process with no parent to copy needs a program");
        }
        return program;
    }

    /** A new process's pid and struct, all or nothing (EAGAIN for the pid, ENOMEM for the struct). */
    private Process create(int ppid, String name, List<String> argv) {
        int pid = pids.allocate();
        try {
            return Process.create(pid, ppid, name, argv, heap, scheduler.newWaitQueue("children of " + pid));
        } catch (RuntimeException refused) {
            pids.free(pid);
            throw refusal(refused);
        }
    }

    /** Undoes {@link #create} (and whatever was attached since) for a process never indexed. */
    private void discard(@Owning Process p) {
        int pid = p.pid;
        p.destroy();
        pids.free(pid);
    }

    @NotOwning @Nullable Process lookup(int pid) {
        return byPid.get(pid);
    }

    /** Init, as a view (the kernel keeps owning it), or null once reaped. */
    private @NotOwning @Nullable Process init() {
        return kernelChild.isEmpty() ? null : kernelChild.get(0);
    }

    // ---- threads ----

    /**
     * Starts a thread of {@code p} (a task released as soon as it has exited and switched away). Its
     * id comes from the pid space, as on Linux: the main thread's is the pid, another thread's a fresh
     * number (EAGAIN if none is left), given back when it is released. All or nothing.
     */
    private int startThread(Process p, String role, ProcessBody body) throws OutOfFramesException {
        boolean main = p.mainTid() == 0;
        int tid = main ? p.pid : pids.allocate();
        try {
            scheduler.spawnDetached(p.name() + "/" + p.pid + "/" + role, ctx -> runThread(p, ctx, body), tid);
        } catch (RuntimeException refused) {
            if (!main) {
                pids.free(tid);
            }
            throw refused;
        }
        if (!main) {
            threadIds.add(tid);
        }
        threadOwner.put(tid, p.pid);
        p.threadStarted(tid);
        return tid;
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
            crashes.add(crash);
            if (!p.isExiting()) {
                p.crashed(crash.getClass().getSimpleName() + ": " + crash.getMessage());
                wakeAll(p);
            }
        }
        threadExited(p, ctx.tid());
    }

    /**
     * Counts a thread out. The last one out makes the process a zombie: its memory goes now, its
     * orphans go to init, and its parent is woken.
     */
    private void threadExited(Process p, int tid) {
        if (!p.threadExited(tid)) {
            return;
        }
        p.becomeZombie();
        probe.report(Probe.Event.EXIT, p.pid, p.exitStatus(), null);
        Process adopter = init();
        if (adopter != null && adopter != p) {
            boolean zombieOrphan = false;
            for (Process orphan = p.disownFirst(); orphan != null; orphan = p.disownFirst()) {
                orphan.reparentTo(INIT);
                zombieOrphan |= orphan.state() == ProcessState.ZOMBIE;
                adopter.adopt(orphan);
            }
            if (zombieOrphan) {
                scheduler.wakeAll(adopter.childEvents);
            }
        }
        Process parent = lookup(p.ppid());
        if (parent != null) {
            scheduler.wakeAll(parent.childEvents);
        }
    }

    /** Wakes every thread of {@code p} that sleeps, in waitpid or in pause(): the process is ending. */
    private void wakeAll(Process p) {
        scheduler.wakeAll(p.childEvents);
        for (int tid : p.threadIds()) {
            if (scheduler.state(tid).orElse(TaskState.EXITED) == TaskState.PARKED) {
                scheduler.unpark(tid);
            }
        }
    }
}
