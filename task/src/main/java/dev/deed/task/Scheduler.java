package dev.deed.task;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PlantedBug;
import dev.deed.frame.Usage;
import dev.deed.frame.mem.PhysMemory;
import dev.deed.paging.Access;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.Mmu;
import dev.deed.paging.PageFault;
import dev.deed.paging.PageTable;
import dev.deed.paging.Privilege;
import dev.deed.paging.Tlb;
import dev.deed.paging.VirtAddr;
import dev.deed.task.spi.ContextLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Runs tasks on the simulated CPUs (one for now; state is kept per CPU). Created over the kernel's
 * page table, where it puts the kernel stacks; {@link #run()} drives the tasks until none is runnable.
 */
public final class Scheduler {
    /** Clock ticks per simulated second (Linux's USER_HZ, the unit of /proc's times). */
    public static final int HZ = 100;

    /** Thrown through a body by {@link TaskContext#exit()}. */
    static final class Exit extends Error {
        private static final long serialVersionUID = 1L;

        Exit() {
            super("task exit", null, false, false);
        }
    }

    /** Unwinds a task's thread when the scheduler shuts down or panics; the task touches nothing more. */
    static final class Shutdown extends Error {
        private static final long serialVersionUID = 1L;

        Shutdown() {
            super("scheduler shutdown", null, false, false);
        }
    }

    /**
     * Unwinds a task whose context could not be saved when it switched away: the kernel's oops. The
     * task still holds the CPU; its body unwinds (its process records the crash) and it exits.
     */
    static final class Panic extends Error {
        private static final long serialVersionUID = 1L;

        Panic(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final SchedulerConfig config;
    private final FrameAllocator frames;
    private final PageTable<KernelSpace> kernel;
    private final ContextLayout layout;
    private final PhysMemory memory;
    private final Cpu[] cpus;
    private final KernelStacks stacks;
    /** The task table: owns every task until it is released. Ordered by tid. */
    private final Map<Integer, Task> table = new LinkedHashMap<>();
    private final SplittableRandom random;
    private final List<String> failures = new ArrayList<>();
    private final List<TaskPanic> panics = new ArrayList<>();
    private int nextTid = 1;
    /** The simulated clock: ticks since boot, advanced by charged work and by idle switches (deterministic). */
    private long clock;
    private java.util.function.Consumer<TaskTimes> releaseListener = times -> { };
    private final LoadAverage load = new LoadAverage();
    private volatile boolean shuttingDown;

    private Scheduler(SchedulerConfig config, FrameAllocator frames, PageTable<KernelSpace> kernel, ContextLayout layout) {
        this.config = config;
        this.frames = frames;
        this.kernel = kernel;
        this.layout = layout;
        this.memory = frames.memory();
        this.cpus = new Cpu[frames.machine().cpus()];
        List<Tlb> tlbs = new ArrayList<>();
        for (int i = 0; i < cpus.length; i++) {
            cpus[i] = new Cpu(i, new Mmu(kernel.format(), frames));
            tlbs.add(cpus[i].mmu.tlb());
        }
        this.stacks = new KernelStacks(frames, kernel, tlbs, config.stackSize(), config.guardPages());
        this.random = new SplittableRandom(config.seed());
    }

    /** A scheduler for the machine's architecture (its context layout found through ServiceLoader). */
    public static Scheduler create(SchedulerConfig config, FrameAllocator frames, PageTable<KernelSpace> kernel) {
        ContextLayout layout = ContextLayouts.forArch(frames.machine().arch());
        Scheduler s = new Scheduler(config, frames, kernel, layout);
        s.stacks.whenInUse(new KernelStacks.StackUse() {
            @Override
            public @Nullable String cpuOf(KernelStack stack) {
                return s.runningOn(stack);
            }

            @Override
            public String ownerOf(long bottom) {
                return s.ownerOf(bottom);
            }
        });
        return s;
    }

    public ContextLayout layout() {
        return layout;
    }

    public KernelStacks stacks() {
        return stacks;
    }

    /** CPU {@code cpu}'s MMU (and TLB). */
    public Mmu mmu(int cpu) {
        return cpus[cpu].mmu;
    }

    public WaitQueue newWaitQueue(String name) {
        return new WaitQueue(name);
    }

    /** Wakes every task waiting on {@code queue}, from the running task or the idle thread; returns how many. */
    public int wakeAll(WaitQueue queue) {
        int n = 0;
        while (wakeOne(queue)) {
            n++;
        }
        return n;
    }

    /**
     * A task owned by the returned handle: after it exits it stays a zombie until the handle is released.
     *
     * @throws OutOfFramesException no memory for its kernel stack (nothing changed)
     */
    public TaskHandle spawn(String name, TaskBody body) throws OutOfFramesException {
        return new TaskHandle(this, newTask(name, body, false, 0));
    }

    /**
     * A task nobody owns: released, stack and all, by whoever runs next on its CPU after it exits.
     * Returns its id: a name, not a reference (use {@link #unpark(int)} and {@link #state(int)}).
     *
     * @throws OutOfFramesException no memory for its kernel stack (nothing changed)
     */
    public int spawnDetached(String name, TaskBody body) throws OutOfFramesException {
        return newTask(name, body, true, 0).tid;
    }

    /**
     * As {@link #spawnDetached(String, TaskBody)}, with the id chosen by the caller (a process's main
     * thread takes its pid, as on Linux, where thread and process ids share one space). Refused,
     * changing nothing, if {@code tid} is not positive or is in use.
     *
     * @throws OutOfFramesException no memory for its kernel stack (nothing changed)
     */
    public int spawnDetached(String name, TaskBody body, int tid) throws OutOfFramesException {
        if (tid < 1 || table.containsKey(tid)) {
            throw new IllegalArgumentException("task id " + tid + (tid < 1 ? " must be positive" : " is in use"));
        }
        return newTask(name, body, true, tid).tid;
    }

    /** Calls {@code listener} with a task's final times whenever a task is released (after its last switch). */
    public void whenReleased(java.util.function.Consumer<TaskTimes> listener) {
        this.releaseListener = listener;
    }

    /** Task {@code tid}'s state and times, or empty once it has been released. */
    public java.util.Optional<TaskTimes> times(int tid) {
        Task t = table.get(tid);
        return t == null ? java.util.Optional.empty() : java.util.Optional.of(timesOf(t));
    }

    /** The simulated clock: ticks since the scheduler was created ({@link #HZ} per second). */
    public long ticks() {
        return clock;
    }

    /** CPU {@code cpu}'s ticks by what it did, and its context switches. */
    public CpuTimes cpuTimes(int cpu) {
        Cpu c = cpus[cpu];
        return new CpuTimes(cpu, c.userTicks, c.systemTicks, c.idleTicks, c.switches);
    }

    /** The number of CPUs. */
    public int cpuCount() {
        return cpus.length;
    }

    /** Unparks task {@code tid} if it still exists (as {@link #unpark(TaskHandle)}); false if it is gone. */
    public boolean unpark(int tid) {
        Task t = table.get(tid);
        if (t == null) {
            return false;
        }
        unpark(t);
        return true;
    }

    /** The state of task {@code tid}, or empty once it has been released. */
    public java.util.Optional<TaskState> state(int tid) {
        Task t = table.get(tid);
        return t == null ? java.util.Optional.empty() : java.util.Optional.of(t.state);
    }

    /**
     * Makes a parked task runnable (or leaves it a pending unpark), from whoever holds the CPU: the
     * running task, or the idle thread between runs (as an interrupt would).
     */
    public void unpark(TaskHandle task) {
        unpark(task.task);
    }

    /** Runs tasks until none is runnable; the calling thread is the CPU's idle task. */
    public RunResult run() {
        if (current() != null) {
            throw new TaskStateException("run() was called from " + current() + "; only the idle thread drives the CPU");
        }
        Cpu cpu = cpus[0];
        long switches = cpu.switches;
        while (true) {
            afterSwitchIn(cpu);
            if (!switchToNext(cpu)) {
                break;
            }
            cpu.idleBaton.acquireUninterruptibly();
        }
        afterSwitchIn(cpu);
        List<String> blocked = new ArrayList<>();
        for (Task t : table.values()) {
            if (t.state == TaskState.PARKED || t.state == TaskState.WAITING) {
                blocked.add(t + " " + t.state.name().toLowerCase(java.util.Locale.ROOT)
                        + (t.waitingOn != null ? " on " + t.waitingOn.name() : ""));
            }
        }
        List<String> failed = List.copyOf(failures);
        List<TaskPanic> panicked = List.copyOf(panics);
        failures.clear();
        panics.clear();
        return new RunResult(cpu.switches - switches, cpu.fingerprint, failed, blocked, panicked);
    }

    public Census census() {
        int zombies = 0;
        for (Task t : table.values()) {
            zombies += t.state == TaskState.EXITED ? 1 : 0;
        }
        int idleRefs = 0;
        for (Cpu cpu : cpus) {
            idleRefs += 1 + (int) cpu.runQueue.stream().filter(t -> t == cpu.idle).count() + (cpu.previous == cpu.idle ? 1 : 0);
        }
        return new Census(table.size(), zombies, stacks.inUse(), frames.stats().used(Usage.KERNEL_STACK), idleRefs);
    }

    /**
     * Checks the scheduler's invariants: at most one running task per CPU, and it is the CPU's
     * current task; every runnable task on exactly one run queue and no wait queue; every waiting task
     * on its wait queue once; no stack of a live task freed; one allocated stack per task in the table.
     * Returns the first violation, or null. Callable from the idle thread or a running task.
     */
    public @Nullable String verify() {
        for (Cpu cpu : cpus) {
            int running = 0;
            for (Task t : table.values()) {
                if (t.state == TaskState.RUNNING) {
                    running++;
                    if (cpu.current != t.tid) {
                        return t + " is running but CPU " + cpu.id + " runs tid " + cpu.current;
                    }
                }
            }
            if (running > 1) {
                return running + " tasks run on CPU " + cpu.id;
            }
        }
        for (Task t : table.values()) {
            long queued = 0;
            for (Cpu cpu : cpus) {
                queued += cpu.runQueue.stream().filter(q -> q == t).count();
            }
            if (t.state == TaskState.RUNNABLE && queued != 1) {
                return t + " is runnable but on " + queued + " run queues";
            }
            if (t.state != TaskState.RUNNABLE && queued != 0) {
                return t + " is " + t.state + " but on a run queue";
            }
            WaitQueue q = t.waitingOn;
            if ((t.state == TaskState.WAITING) != (q != null)
                    || (q != null && q.waiters.stream().filter(w -> w == t).count() != 1)) {
                return t + " is " + t.state + " and waits on " + q;
            }
            KernelStack stack = t.stack;
            if (stack == null || stack.isFreed()) {
                return t + " is " + t.state + " without a stack";
            }
        }
        if (stacks.inUse() != table.size()) {
            return stacks.inUse() + " kernel stacks are allocated for " + table.size() + " tasks";
        }
        return null;
    }

    /**
     * Ends every task still parked or waiting (their threads unwind without touching anything) and
     * frees their stacks. After it the census is at baseline.
     */
    public void shutdown() {
        shuttingDown = true;
        List<Thread> threads = new ArrayList<>();
        for (Task t : table.values()) {
            Thread th = t.thread;
            if (th != null && t.state != TaskState.EXITED) {
                threads.add(th);
                t.baton.release();
            }
        }
        for (Thread th : threads) {
            try {
                th.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Task t : new ArrayList<>(table.values())) {
            releaseReporting(t);
        }
        for (Cpu cpu : cpus) {
            cpu.runQueue.clear();
            cpu.previous = null;
            cpu.current = Cpu.IDLE;
        }
    }

    // ---- task-side operations (called with the baton held) ----

    void yieldNow(Task self) {
        if (cpus[0].runQueue.isEmpty()) {
            return;
        }
        self.state = TaskState.RUNNABLE;
        self.involuntary++;
        cpus[0].runQueue.add(self);
        switchAway(self, false);
    }

    void park(Task self) {
        if (self.permit) {
            self.permit = false;
            return;
        }
        self.state = TaskState.PARKED;
        self.voluntary++;
        switchAway(self, false);
    }

    void unpark(Task t) {
        if (t.state == TaskState.PARKED) {
            t.state = TaskState.RUNNABLE;
            cpus[0].runQueue.add(t);
        } else if (t.state == TaskState.RUNNABLE || t.state == TaskState.RUNNING || t.state == TaskState.WAITING) {
            t.permit = true;
        }
    }

    void waitOn(Task self, WaitQueue queue) {
        self.state = TaskState.WAITING;
        self.waitingOn = queue;
        self.voluntary++;
        queue.waiters.add(self);
        switchAway(self, false);
    }

    boolean wakeOne(WaitQueue queue) {
        Task t = queue.waiters.poll();
        if (t == null) {
            return false;
        }
        t.waitingOn = null;
        t.state = TaskState.RUNNABLE;
        cpus[0].runQueue.add(t);
        return true;
    }

    /** Releases an exited task: frees its stack, drops it from the table. Refused if its stack is current. */
    void release(Task t) {
        KernelStack stack = t.stack;
        String cpu = stack == null ? null : runningOn(stack);
        if (cpu != null) {
            throw new StackInUseException("cannot free the " + stack + " of " + cpu + "; nothing was freed");
        }
        if (t.state != TaskState.EXITED) {
            throw new TaskStateException("cannot release " + t + ": it is " + t.state.name().toLowerCase(java.util.Locale.ROOT)
                    + "; only an exited task can be released");
        }
        releaseNow(t);
    }

    void pushFrame(Task self, int frameBytes) {
        if (frameBytes <= 0 || frameBytes > config.stackSize()) {
            throw new IllegalArgumentException("a stack frame of " + frameBytes + " bytes: must be in [1, " + config.stackSize() + "]");
        }
        long old = self.sp;
        long newSp = (old - frameBytes) & -layout.stackAlignment();
        for (long page = (old - 1) & -4096L; page - newSp >= 0 || page == (newSp & -4096L); page -= 4096) {
            writeWord(self, Math.max(page, newSp), 0xF4A3E000L | self.tid);
            if (page - newSp < 0 || (page & -4096L) == (newSp & -4096L)) {
                break;
            }
        }
        self.sp = newSp;
    }

    /** One tick of work by {@code self}: in its body ({@code user}) or in the kernel on its behalf. */
    void charge(Task self, boolean user) {
        tick();
        if (user) {
            self.utime++;
            cpus[0].userTicks++;
        } else {
            self.stime++;
            cpus[0].systemTicks++;
        }
    }

    /** Advances the clock one tick; every {@link LoadAverage#PERIOD} ticks, samples the load. */
    private void tick() {
        clock++;
        if (clock % LoadAverage.PERIOD == 0) {
            load.sample(active());
        }
    }

    /** Tasks running or runnable now. */
    public int active() {
        int n = 0;
        for (Task t : table.values()) {
            n += t.state == TaskState.RUNNING || t.state == TaskState.RUNNABLE ? 1 : 0;
        }
        return n;
    }

    /** Tasks that exist (running, runnable, blocked, or exited and not yet released). */
    public int taskCount() {
        return table.size();
    }

    /** The 1, 5 and 15 minute load averages as /proc/loadavg prints them. */
    public String loadAverage() {
        return load.formatted();
    }

    private TaskTimes timesOf(Task t) {
        return new TaskTimes(t.tid, t.name, t.state, t.utime, t.stime, t.startTick, t.voluntary, t.involuntary, 0);
    }

    void preemptionPoint(Task self) {
        if (config.preemptOneIn() > 0 && random.nextInt(config.preemptOneIn()) == 0) {
            yieldNow(self);
        }
    }

    // ---- switching ----

    /** A new runnable task; its stack is allocated first, so a refusal changes nothing (not even the next tid). */
    @SuppressWarnings("required.method.not.called") // the stack belongs to the task table; releaseNow closes it
    private Task newTask(String name, TaskBody body, boolean detached, int chosenTid) throws OutOfFramesException {
        if (shuttingDown) {
            throw new TaskStateException("the scheduler is shut down");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("a task needs a non-blank name");
        }
        KernelStack stack = stacks.allocate();
        int tid = chosenTid;
        if (tid == 0) {
            while (table.containsKey(nextTid)) { // ids chosen by callers are skipped
                nextTid++;
            }
            tid = nextTid++;
        }
        Task t = new Task(tid, name, detached);
        t.startTick = clock;
        t.stack = stack;
        t.sp = stack.top();
        writeFrame(t);
        table.put(t.tid, t);
        cpus[0].runQueue.add(t);
        Thread thread = Thread.ofVirtual().name("deed-task-" + t.tid + "-" + name).unstarted(() -> runTask(t, body));
        t.thread = thread;
        thread.start();
        return t;
    }

    private void runTask(Task t, TaskBody body) {
        CURRENT.set(t);
        try {
            block(t);
            afterSwitchIn(cpus[0]);
            body.run(new TaskContext(this, t));
        } catch (Exit exit) {
            // the body asked to end
        } catch (Shutdown shutdown) {
            return;
        } catch (Panic oops) {
            t.failure = oops.getCause(); // already reported when the save failed
        } catch (Throwable e) {
            if (shuttingDown) {
                return;
            }
            t.failure = e;
            failures.add(t + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (frames.faults().isPlanted(PlantedBug.B2)) {
            freeOwnStackOnExit(t);
        }
        t.state = TaskState.EXITED;
        switchAway(t, true);
    }

    /**
     * The planted B2's wrong step (rCore #144: {@code tasks.clear()} on the exit path dropped the
     * running thread's own stack). Refused, since the stack is current on this CPU; the refusal is
     * reported as a panic of the task, which then exits as it should.
     */
    private void freeOwnStackOnExit(Task t) {
        frames.faults().requirePlanted(PlantedBug.B2);
        try {
            t.stack().close();
        } catch (StackInUseException refused) {
            panicOf(t, "freeing its own kernel stack on exit (planted B2)", refused);
        }
    }

    /**
     * Saves {@code from}'s context on its stack and hands the CPU to the next runnable task (or idle).
     * An exiting task records itself as the CPU's previous task and returns without touching anything
     * more: whoever runs next releases it (if detached).
     *
     * <p>Nothing here can leave the CPU unowned. A context that cannot be saved is a panic of
     * {@code from}: on the way out it is reported and the CPU handed on (an exiting task is never
     * resumed, so its context is not needed); on a switch it is thrown into {@code from}'s body as a
     * {@link Panic}, which unwinds it to its exit, still holding the CPU.
     */
    private void switchAway(Task from, boolean exiting) {
        Cpu cpu = cpus[0];
        try {
            writeFrame(from);
        } catch (RuntimeException e) {
            String point = exiting ? "saving its context on exit" : "saving its context on a switch";
            if (from.failure == null) {
                panicOf(from, point, e);
            }
            if (!exiting) { // it keeps the CPU to unwind: undo what the switch had queued
                from.state = TaskState.RUNNING;
                cpu.runQueue.remove(from);
                WaitQueue q = from.waitingOn;
                if (q != null) {
                    q.waiters.remove(from);
                    from.waitingOn = null;
                }
                throw new Panic(from + ": panic " + point + ": " + e.getMessage(), e);
            }
        }
        if (exiting) {
            cpu.previous = from;
        }
        if (!switchToNext(cpu)) {
            cpu.current = Cpu.IDLE;
            cpu.recordSwitch(Cpu.IDLE);
            cpu.idleTicks++;
            tick();
            cpu.idleBaton.release();
        }
        if (!exiting) {
            block(from);
            afterSwitchIn(cpu);
        }
    }

    /**
     * Hands the CPU to the first runnable task whose context restores; a task whose context does not
     * is a panic of that task (reported; it never runs again) and the next one is tried. False if
     * none was left.
     */
    private boolean switchToNext(Cpu cpu) {
        for (Task next = cpu.runQueue.poll(); next != null; next = cpu.runQueue.poll()) {
            try {
                switchIn(cpu, next);
                return true;
            } catch (RuntimeException e) {
                panicOf(next, "restoring its context", e);
                next.state = TaskState.EXITED;
                if (next.detached) {
                    releaseReporting(next);
                }
            }
        }
        return false;
    }

    /** Reports a panic of {@code t} at {@code point}: it is recorded on the task and in the run's result. */
    private void panicOf(Task t, String point, RuntimeException e) {
        t.failure = e;
        panics.add(new TaskPanic(t.tid, t.name, point, e));
        failures.add(t + ": panic " + point + ": " + e.getMessage());
    }

    private void switchIn(Cpu cpu, Task next) {
        readFrame(next);
        next.state = TaskState.RUNNING;
        cpu.current = next.tid;
        cpu.recordSwitch(next.tid);
        next.baton.release();
    }

    private void block(Task t) {
        t.baton.acquireUninterruptibly();
        if (shuttingDown) {
            throw new Shutdown();
        }
    }

    /** Run by whoever holds the CPU right after a switch: releases the previous task if it exited detached. */
    private void afterSwitchIn(Cpu cpu) {
        Task prev = cpu.previous;
        cpu.previous = null;
        if (prev != null && prev.detached && prev.state == TaskState.EXITED) {
            releaseReporting(prev);
        }
    }

    /**
     * {@link #releaseNow} from the scheduler's own paths, where nobody could catch a failure: a stack
     * that cannot be freed (its pages were corrupted under it) is reported as a panic of its task,
     * its frames stay where they are (a reported leak, not a corrupt allocator), and the CPU goes on.
     */
    private void releaseReporting(Task t) {
        try {
            releaseNow(t);
        } catch (RuntimeException e) {
            panicOf(t, "freeing its kernel stack", e);
        }
    }

    /** Frees a task's stack and drops it from the table (dropped even if the stack cannot be freed: the failure is thrown). */
    @SuppressWarnings("required.method.not.called") // the task table's stacks are closed here, once (isFreed guards a repeat)
    private void releaseNow(Task t) {
        KernelStack stack = t.stack;
        t.stack = null;
        t.state = TaskState.RELEASED;
        table.remove(t.tid);
        releaseListener.accept(timesOf(t));
        if (stack != null && !stack.isFreed()) {
            stack.close();
        }
    }

    /** Who a stack belongs to, for the range guard: "task 'x' (tid n), in use on CPU c" or "… (parked)". */
    private String ownerOf(long bottom) {
        for (Task t : table.values()) {
            KernelStack stack = t.stack;
            if (stack != null && stack.bottom() == bottom) {
                String cpu = runningOn(stack);
                return cpu != null ? cpu.replace(": it is ", ", ") : t + " (" + t.state.name().toLowerCase(java.util.Locale.ROOT) + ")";
            }
        }
        return "a task being created";
    }

    /** "task 'x' (tid n): it is in use on CPU c" if {@code stack} is current on a CPU, else null. */
    private @Nullable String runningOn(KernelStack stack) {
        for (Cpu cpu : cpus) {
            Task t = cpu.current == Cpu.IDLE ? null : table.get(cpu.current);
            if (t != null && t.stack == stack) {
                return t + ": it is in use on CPU " + cpu.id;
            }
        }
        return null;
    }

    private static final ThreadLocal<@Nullable Task> CURRENT = new ThreadLocal<>();

    private static @Nullable Task current() {
        return CURRENT.get();
    }

    // ---- the saved context on the stack ----

    private void writeFrame(Task t) {
        int w = layout.wordBytes();
        long frame = (t.sp - layout.contextBytes()) & -layout.stackAlignment();
        for (int i = 0; i < layout.registers().size(); i++) {
            writeWord(t, frame + (long) i * w, expected(t, i, frame));
        }
        t.savedFrame = frame;
    }

    private void readFrame(Task t) {
        int w = layout.wordBytes();
        long frame = t.savedFrame;
        for (int i = 0; i < layout.registers().size(); i++) {
            long va = frame + (long) i * w;
            long value;
            try {
                long pa = cpus[0].mmu.translate(kernel.rootRegister(), VirtAddr.of(va), Access.READ, Privilege.SUPERVISOR);
                value = w == 8 ? memory.readU64(pa) : memory.readU32(pa);
            } catch (PageFault fault) {
                throw new ContextCorruptedException("switch to " + t + ": its saved context at 0x" + Long.toHexString(frame)
                        + " is unreadable (" + fault.kind() + "): its kernel stack was freed");
            }
            long want = expected(t, i, frame);
            if (value != want) {
                long poison = KernelStacks.POISON & 0xFFFF_FFFFL;
                boolean poisoned = value == (w == 8 ? poison << 32 | poison : poison);
                throw new ContextCorruptedException("switch to " + t + ": saved " + layout.registers().get(i) + " at 0x"
                        + Long.toHexString(va) + " reads 0x" + Long.toHexString(value) + " instead of 0x" + Long.toHexString(want)
                        + (poisoned ? " — the poison pattern: its kernel stack was freed" : " — the context was overwritten"));
            }
        }
    }

    /** The value register {@code i} of task {@code t} holds in a frame at {@code frame}: sp is the frame, the rest are tags. */
    private long expected(Task t, int i, long frame) {
        if (i == layout.stackPointerIndex()) {
            return frame;
        }
        long tag = 0xDEEDL << 48 | (long) t.tid << 8 | i;
        return layout.wordBytes() == 8 ? tag : (0xDE00_0000L | (t.tid & 0xFFFFL) << 8 | i);
    }

    private void writeWord(Task t, long va, long value) {
        long pa;
        try {
            pa = cpus[0].mmu.translate(kernel.rootRegister(), VirtAddr.of(va), Access.WRITE, Privilege.SUPERVISOR);
        } catch (PageFault fault) {
            KernelStack stack = t.stack;
            if (stack != null && stack.guards(va)) {
                throw new KernelStackOverflowException("kernel stack overflow in " + t + ": a write at 0x" + Long.toHexString(va)
                        + " hits the guard page below its " + stack);
            }
            throw new TaskStateException(t + " wrote outside its stack at 0x" + Long.toHexString(va) + ": " + fault.getMessage());
        }
        if (layout.wordBytes() == 8) {
            memory.writeU64(pa, value);
        } else {
            memory.writeU32(pa, value);
        }
    }
}
