package dev.deed.task;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Probe;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PlantedBug;
import dev.deed.paging.Cpus;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.Mmu;
import dev.deed.paging.PageTable;
import dev.deed.task.spi.ContextLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Runs tasks on the machine's simulated CPUs. Created over the kernel's page table, where it puts the
 * kernel stacks; {@link #run()} drives the tasks until none is runnable.
 *
 * <p>Exactly one CPU takes a step at a time. Steps end at <em>step boundaries</em> — syscalls, memory
 * accesses through the MMU, scheduling points — and at each one the seeded scheduler decides which
 * CPU takes the next step: a CPU running a task continues it, an idle CPU takes the next runnable
 * task from the shared run queue (so tasks migrate). The same configuration and seed give the same
 * run, step for step. A CPU applies the TLB shootdowns posted to it at its step boundaries.
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

    /** Unwinds a task's thread when the scheduler shuts down; the task touches nothing more. */
    static final class Shutdown extends Error {
        private static final long serialVersionUID = 1L;

        Shutdown() {
            super("scheduler shutdown", null, false, false);
        }
    }

    /**
     * Unwinds a task whose context could not be saved when it switched away: the kernel's oops. The
     * task still holds its CPU; its body unwinds (its process records the crash) and it exits.
     */
    static final class Panic extends Error {
        private static final long serialVersionUID = 1L;

        Panic(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final SchedulerConfig config;
    private final FrameAllocator frames;
    private final ContextLayout layout;
    private final Cpus machine;
    private final Cpu[] cpus;
    private final ContextFrames contexts;
    private final KernelStacks stacks;
    /** The task table: owns every task until it is released. Ordered by tid. */
    private final Map<Integer, Task> table = new LinkedHashMap<>();
    /** Runnable tasks, oldest first, shared by every CPU. */
    private final ArrayDeque<Task> runQueue = new ArrayDeque<>();
    private final SplittableRandom preemption;
    private SplittableRandom interleaving;
    private final List<String> failures = new ArrayList<>();
    private final List<TaskPanic> panics = new ArrayList<>();
    /** The thread in {@link #run()} waits here until every CPU is idle. */
    private final Semaphore driver = new Semaphore(0);
    private int nextTid = 1;
    /** The simulated clock: ticks since boot, advanced by charged work and by idle switches (deterministic). */
    private long clock;
    private long fingerprint = 0xcbf29ce484222325L;
    private Consumer<TaskTimes> releaseListener = times -> { };
    private final LoadAverage load = new LoadAverage();
    private volatile boolean shuttingDown;
    private final Probe probe;

    private Scheduler(SchedulerConfig config, FrameAllocator frames, PageTable<KernelSpace> kernel, ContextLayout layout) {
        this.config = config;
        this.frames = frames;
        this.layout = layout;
        this.machine = kernel.cpus();
        this.cpus = new Cpu[machine.count()];
        for (int i = 0; i < cpus.length; i++) {
            cpus[i] = new Cpu(i);
        }
        this.contexts = new ContextFrames(layout, frames.memory(), kernel);
        this.stacks = new KernelStacks(frames, kernel, config.stackSize(), config.guardPages());
        this.preemption = new SplittableRandom(config.seed());
        this.interleaving = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        this.probe = frames.probe();
    }

    /** A scheduler for the machine's architecture (its context layout found through ServiceLoader), on all its CPUs. */
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

    /** The machine's CPUs: their MMUs and TLBs, the one executing now, the shootdowns in flight. */
    public Cpus cpus() {
        return machine;
    }

    /** CPU {@code cpu}'s MMU (and TLB). */
    public Mmu mmu(int cpu) {
        return machine.mmu(cpu);
    }

    public int cpuCount() {
        return cpus.length;
    }

    /**
     * Reseeds the choice of which CPU takes each step: a lifecycle property draws a seed per step, so
     * a failing interleaving shrinks and replays with the step that produced it.
     */
    public void interleave(long seed) {
        interleaving = new SplittableRandom(seed);
    }

    public WaitQueue newWaitQueue(String name) {
        return new WaitQueue(name);
    }

    /** Wakes every task waiting on {@code queue}, from a running task or between runs; returns how many. */
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
     * A task nobody owns: released, stack and all, by whoever runs next after it exits. Returns its
     * id: a name, not a reference (use {@link #unpark(int)} and {@link #state(int)}).
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
    public void whenReleased(Consumer<TaskTimes> listener) {
        this.releaseListener = listener;
    }

    /** Task {@code tid}'s state and times, or empty once it has been released. */
    public Optional<TaskTimes> times(int tid) {
        Task t = table.get(tid);
        return t == null ? Optional.empty() : Optional.of(timesOf(t));
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
    public Optional<TaskState> state(int tid) {
        Task t = table.get(tid);
        return t == null ? Optional.empty() : Optional.of(t.state);
    }

    /**
     * Makes a parked task runnable (or leaves it a pending unpark), from whoever holds the machine:
     * a running task, or the driver between runs (as an interrupt would).
     */
    public void unpark(TaskHandle task) {
        unpark(task.task);
    }

    /** Runs tasks until none is runnable; the calling thread drives the machine and is every CPU's idle task. */
    public RunResult run() {
        if (current() != null) {
            throw new TaskStateException("run() was called from " + current() + "; only the idle thread drives the CPUs");
        }
        long switches = totalSwitches();
        reapPrevious();
        Task first = choose();
        if (first != null) {
            handTo(first);
            driver.acquireUninterruptibly();
        }
        reapPrevious();
        machine.drain();
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
        return new RunResult(totalSwitches() - switches, fingerprint, failed, blocked, panicked);
    }

    public Census census() {
        return SchedulerAudit.census(this);
    }

    /** The scheduler's invariants (see {@link SchedulerAudit#verify}); the first violation, or null. */
    public @Nullable String verify() {
        return SchedulerAudit.verify(this);
    }

    /**
     * Ends every task still parked, waiting or runnable (their threads unwind without touching
     * anything) and frees their stacks. After it the census is at baseline.
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
        runQueue.clear();
        for (Cpu cpu : cpus) {
            cpu.previous = null;
            cpu.current = Cpu.IDLE;
            machine.setIdle(cpu.id, true);
        }
        for (Task t : new ArrayList<>(table.values())) {
            releaseReporting(t);
        }
        machine.drain();
    }

    // ---- task-side operations (called by the task holding the machine) ----

    /** A step boundary of {@code self}: its CPU takes its shootdowns, and the next step may go to another CPU. */
    void step(Task self) {
        machine.boundary(self.cpu);
        if (config.preemptOneIn() > 0 && preemption.nextInt(config.preemptOneIn()) == 0) {
            yieldNow(self);
            return;
        }
        if (cpus.length > 1) {
            Task next = choose();
            if (next != null && next != self) {
                handTo(next);
                block(self);
            }
        }
    }

    void yieldNow(Task self) {
        if (runQueue.isEmpty()) {
            return;
        }
        self.state = TaskState.RUNNABLE;
        self.involuntary++;
        runQueue.add(self);
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
            runQueue.add(t);
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
        runQueue.add(t);
        return true;
    }

    /** Releases an exited task: frees its stack, drops it from the table. Refused if its stack is current on a CPU. */
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
        contexts.push(self, frameBytes, config.stackSize(), self.cpu);
    }

    /** One tick of work by {@code self} — in its body ({@code user}) or in the kernel on its behalf — ending at a step boundary. */
    void charge(Task self, boolean user) {
        tick();
        probe.report(Probe.Event.STEP, self.cpu, self.tid, user ? 1 : 0, null);
        if (user) {
            self.utime++;
            cpus[self.cpu].userTicks++;
        } else {
            self.stime++;
            cpus[self.cpu].systemTicks++;
        }
        step(self);
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

    // ---- package-private views for the audit ----

    Map<Integer, Task> table() {
        return table;
    }

    ArrayDeque<Task> runQueue() {
        return runQueue;
    }

    Cpu[] cpuStates() {
        return cpus;
    }

    FrameAllocator frames() {
        return frames;
    }

    // ---- creating and ending tasks ----

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
        t.cpu = machine.current();
        contexts.write(t, machine.current());
        table.put(t.tid, t);
        runQueue.add(t);
        Thread thread = Thread.ofVirtual().name("deed-task-" + t.tid + "-" + name).unstarted(() -> runTask(t, body));
        t.thread = thread;
        thread.start();
        return t;
    }

    private void runTask(Task t, TaskBody body) {
        CURRENT.set(t);
        try {
            block(t);
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

    // ---- switching ----

    /**
     * {@code from} leaves its CPU: its context is saved on its stack, the CPU goes idle, and the next
     * step goes wherever the scheduler chooses. An exiting task records itself as its CPU's previous
     * task and returns without touching anything more: whoever runs next releases it (if detached).
     *
     * <p>Nothing here can leave the machine without an owner. A context that cannot be saved is a
     * panic of {@code from}: on the way out it is reported and the CPU handed on (an exiting task is
     * never resumed, so its context is not needed); on a switch it is thrown into {@code from}'s body
     * as a {@link Panic}, which unwinds it to its exit, still holding its CPU.
     */
    private void switchAway(Task from, boolean exiting) {
        Cpu cpu = cpus[from.cpu];
        try {
            contexts.write(from, cpu.id);
        } catch (RuntimeException e) {
            String point = exiting ? "saving its context on exit" : "saving its context on a switch";
            if (from.failure == null) {
                panicOf(from, point, e);
            }
            if (!exiting) { // it keeps the CPU to unwind: undo what the switch had queued
                from.state = TaskState.RUNNING;
                runQueue.remove(from);
                WaitQueue q = from.waitingOn;
                if (q != null) {
                    q.waiters.remove(from);
                    from.waitingOn = null;
                }
                throw new Panic(from + ": panic " + point + ": " + e.getMessage(), e);
            }
        }
        cpu.current = Cpu.IDLE;
        record(cpu, Cpu.IDLE);
        if (exiting) {
            cpu.previous = from;
        }
        machine.setIdle(cpu.id, true);
        Task next = choose();
        if (cpu.isIdle()) { // nothing took the CPU it left: a tick of idle time
            cpu.idleTicks++;
            tick();
        }
        if (next == from) { // it was runnable again and chosen: it continues, maybe on another CPU
            return;
        }
        handTo(next);
        if (!exiting) {
            block(from);
        }
    }

    /**
     * The task that takes the next step: a CPU is chosen (seeded) among those running a task and, if
     * tasks are waiting to run, the idle ones; an idle CPU switches in the oldest runnable task whose
     * context restores (one that does not is that task's panic, and the next is tried). Null when every
     * CPU is idle and nothing is runnable.
     */
    private @Nullable Task choose() {
        while (true) {
            List<Cpu> candidates = new ArrayList<>(cpus.length);
            for (Cpu cpu : cpus) {
                if (!cpu.isIdle() || !runQueue.isEmpty()) {
                    candidates.add(cpu);
                }
            }
            if (candidates.isEmpty()) {
                return null;
            }
            Cpu chosen = candidates.size() == 1 ? candidates.get(0) : candidates.get(interleaving.nextInt(candidates.size()));
            if (!chosen.isIdle()) {
                machine.boundary(chosen.id); // it was paused at a step boundary: it takes its shootdowns before its next step
                return table.get(chosen.current);
            }
            Task next = switchIn(chosen);
            if (next != null) {
                return next;
            }
        }
    }

    /** Switches the oldest runnable task whose context restores onto idle CPU {@code cpu}; null if none does. */
    private @Nullable Task switchIn(Cpu cpu) {
        for (Task next = runQueue.poll(); next != null; next = runQueue.poll()) {
            try {
                contexts.read(next, cpu.id);
            } catch (RuntimeException e) {
                panicOf(next, "restoring its context", e);
                next.state = TaskState.EXITED;
                if (next.detached) {
                    releaseReporting(next);
                }
                continue;
            }
            next.state = TaskState.RUNNING;
            next.cpu = cpu.id;
            cpu.current = next.tid;
            record(cpu, next.tid);
            machine.setIdle(cpu.id, false);
            return next;
        }
        return null;
    }

    /** Gives the machine to {@code next} on its CPU, or (null) back to the driver: every CPU is idle. */
    private void handTo(@Nullable Task next) {
        if (next == null) {
            driver.release();
            return;
        }
        machine.runOn(next.cpu);
        frames.runOn(next.cpu);
        next.baton.release();
    }

    /** Waits until the machine is handed back to {@code t}, then does what a task does right after a switch. */
    private void block(Task t) {
        t.baton.acquireUninterruptibly();
        if (shuttingDown) {
            throw new Shutdown();
        }
        reapPrevious();
    }

    private void record(Cpu cpu, int tid) {
        if (probe.attached()) {
            Task t = table.get(tid);
            probe.report(tid == Cpu.IDLE ? Probe.Event.IDLE : Probe.Event.SWITCH_IN, cpu.id, tid, 0, t == null ? null : t.name);
        }
        cpu.switches++;
        fingerprint = (fingerprint ^ ((long) cpu.id << 32 | tid)) * 0x100000001b3L;
    }

    private long totalSwitches() {
        long n = 0;
        for (Cpu cpu : cpus) {
            n += cpu.switches;
        }
        return n;
    }

    /** Reports a panic of {@code t} at {@code point}: it is recorded on the task and in the run's result. */
    private void panicOf(Task t, String point, RuntimeException e) {
        t.failure = e;
        panics.add(new TaskPanic(t.tid, t.name, point, e));
        failures.add(t + ": panic " + point + ": " + e.getMessage());
    }

    /**
     * Run by whoever holds the machine right after a switch (and by the driver): releases every task
     * that exited detached on some CPU and has switched away for good. Its thread touches nothing any
     * more, so any other thread may free its stack.
     */
    private void reapPrevious() {
        for (Cpu cpu : cpus) {
            Task prev = cpu.previous;
            if (prev != null && prev != current()) {
                cpu.previous = null;
                if (prev.detached && prev.state == TaskState.EXITED) {
                    releaseReporting(prev);
                }
            }
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

    /** Advances the clock one tick; every {@link LoadAverage#PERIOD} ticks, samples the load. */
    private void tick() {
        clock++;
        if (clock % LoadAverage.PERIOD == 0) {
            load.sample(active());
        }
    }

    private TaskTimes timesOf(Task t) {
        return new TaskTimes(t.tid, t.name, t.state, t.utime, t.stime, t.startTick, t.voluntary, t.involuntary, t.cpu);
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
            Task t = cpu.isIdle() ? null : table.get(cpu.current);
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
}
