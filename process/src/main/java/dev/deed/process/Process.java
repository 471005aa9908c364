package dev.deed.process;

import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PlantedBug;
import dev.deed.heap.Child;
import dev.deed.heap.Container;
import dev.deed.heap.Field;
import dev.deed.heap.KernelHeap;
import dev.deed.heap.StructLayout;
import dev.deed.task.WaitQueue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One process. Its struct lives in the kernel heap ({@code task_and_process}: pid, ppid, state,
 * exit code, thread count, the {@code debug_cmdline} pointer, comm) and owns its debug command-line
 * buffer, as Tilck's does.
 *
 * <p>Its life, changed only through the transition methods here:
 * <ol>
 *   <li><b>running</b>: live threads (ids, never references) and an address space;</li>
 *   <li><b>zombie</b>, when its last thread exits: the address space and page tables are released at
 *       once ({@link #becomeZombie}; the threads' stacks go after their final switch), so a zombie
 *       holds only its struct, command line, pid and exit status, as a Linux zombie does;</li>
 *   <li><b>reaped</b>: {@link #destroy} frees the buffer, then the struct (B1's order).</li>
 * </ol>
 * The parent owns its children until it reaps them; the pid table only names processes.
 */
@InheritableMustCall("destroy")
final class Process {
    static final int CMDLINE_BYTES = 256;

    final int pid;
    /** Where this process's threads wait in waitpid for a child to change state. */
    final WaitQueue childEvents;
    private int ppid;
    /** Owned: a parent owns its children until it reaps them (orphans pass to init). */
    private final Children children = new Children();
    /** Ids of the live threads, the first the main thread: names, not references (B4). */
    private final List<Integer> threads = new ArrayList<>();
    /** The first thread's id (0 before it starts). */
    private int mainTid;
    private @Nullable AddressSpace space;
    private ProcessState state = ProcessState.RUNNING;
    private String name;
    private List<String> argv;
    private int exitStatus;
    private boolean exiting;
    private @Nullable String crash;
    /** Process group and session: inherited from the parent (init leads both). */
    private int pgid;
    private int sid;
    /** The clock tick it was created at. */
    private long startTick;
    /** Ticks of its threads that have ended, and of the children it reaped (Linux's cutime/cstime). */
    private long deadUtime;
    private long deadStime;
    private long deadVoluntary;
    private long deadInvoluntary;
    private long childUtime;
    private long childStime;
    /** The largest its address space has been (VmPeak). */
    private long peakBytes;
    /** File reads: calls and bytes (/proc/PID/io's syscr and rchar). */
    private long reads;
    private long readBytes;
    /** Strong references held outside the owner (only a planted bug takes one); the reaper requires none. */
    private final List<String> holders = new ArrayList<>();

    private final StructLayout layout;
    private final KernelHeap heap;
    private final @Owning Container struct;
    /** Owned by {@link #struct}, which frees it first. */
    private final Child debugCmdline;
    /** Bytes of the command line in {@link #debugCmdline} before its NUL (the rest of the buffer is zero). */
    private int cmdlineLength;

    private Process(int pid, int ppid, String name, List<String> argv, WaitQueue childEvents, KernelHeap heap,
                    StructLayout layout, @Owning Container struct, Child debugCmdline) {
        this.heap = heap;
        this.pid = pid;
        this.ppid = ppid;
        this.name = name;
        this.argv = List.copyOf(argv);
        this.childEvents = childEvents;
        this.layout = layout;
        this.struct = struct;
        this.debugCmdline = debugCmdline;
        struct.label("task_and_process " + pid);
        debugCmdline.label("debug_cmdline " + pid);
        struct.write(layout.field("pid"), pid);
        writeStruct();
        writeNames();
    }

    /**
     * A new process with no address space and no thread yet: its struct and command-line buffer,
     * all or nothing (a buffer that cannot be allocated frees the struct again).
     */
    static Process create(int pid, int ppid, String name, List<String> argv, KernelHeap heap, WaitQueue childEvents)
            throws OutOfFramesException {
        StructLayout layout = layout(heap.config().pointerBytes());
        Container struct = heap.kzallocContainer(layout.size());
        Child cmdline;
        try {
            cmdline = struct.kzallocChild(layout.field("debug_cmdline"), CMDLINE_BYTES);
        } catch (OutOfFramesException refused) {
            struct.free();
            throw refused;
        }
        return new Process(pid, ppid, name, argv, childEvents, heap, layout, struct, cmdline);
    }

    static StructLayout layout(int pointerBytes) {
        return StructLayout.builder("task_and_process", pointerBytes)
                .u32("pid").u32("ppid").u32("state").u32("exit_code").u32("threads")
                .pointer("debug_cmdline").bytes("comm", 16).build();
    }

    // ---- what it is ----

    int ppid() {
        return ppid;
    }

    String name() {
        return name;
    }

    List<String> argv() {
        return argv;
    }

    ProcessState state() {
        return state;
    }

    int exitStatus() {
        return exitStatus;
    }

    boolean isExiting() {
        return exiting;
    }

    @Nullable String crash() {
        return crash;
    }

    int mainTid() {
        return mainTid;
    }

    int liveThreads() {
        return threads.size();
    }

    /** Ids of the live threads, main thread first. */
    List<Integer> threadIds() {
        return List.copyOf(threads);
    }

    /** The children's pids, oldest first. */
    List<Integer> childPids() {
        return children.pids();
    }

    int childCount() {
        return children.size();
    }

    /** Child number {@code i} (oldest first), as a view: this process keeps owning it. */
    @NotOwning Process child(int i) {
        return children.get(i);
    }

    /** The address space (a view: the process keeps owning it); refused once the process has exited. */
    @NotOwning AddressSpace space() {
        AddressSpace s = space;
        if (s == null) {
            throw new SyscallException(Errno.ESRCH, this + " has exited: it has no address space");
        }
        return s;
    }

    boolean hasSpace() {
        return space != null;
    }

    /** Something besides the owner keeps a strong reference to this process ({@code who}): the reaper will refuse it. */
    void retain(String who) {
        holders.add(who);
    }

    /** Who besides the owner holds this process (empty when the owner holds the last reference). */
    List<String> holders() {
        return List.copyOf(holders);
    }

    int pgid() {
        return pgid;
    }

    int sid() {
        return sid;
    }

    long startTick() {
        return startTick;
    }

    /** Its group, session and creation tick: a new process's, from its parent (or its own pid for init). */
    void placeAt(int pgid, int sid, long startTick) {
        this.pgid = pgid;
        this.sid = sid;
        this.startTick = startTick;
    }

    /** Adds a thread's final ticks and context switches, as the thread is released. */
    void threadEnded(long utime, long stime, long voluntary, long involuntary) {
        deadUtime += utime;
        deadStime += stime;
        deadVoluntary += voluntary;
        deadInvoluntary += involuntary;
    }

    long deadVoluntary() {
        return deadVoluntary;
    }

    long deadInvoluntary() {
        return deadInvoluntary;
    }

    /** Adds a reaped child's ticks, its own and its children's (cutime, cstime). */
    void childTicks(long utime, long stime) {
        childUtime += utime;
        childStime += stime;
    }

    long deadUtime() {
        return deadUtime;
    }

    long deadStime() {
        return deadStime;
    }

    long childUtime() {
        return childUtime;
    }

    long childStime() {
        return childStime;
    }

    /** Records the address space's size now if it is the largest yet. */
    void notePeak() {
        AddressSpace s = space;
        if (s != null) {
            peakBytes = Math.max(peakBytes, s.mappedBytes());
        }
    }

    long peakBytes() {
        return peakBytes;
    }

    void countRead(long bytes) {
        reads++;
        readBytes += bytes;
    }

    long reads() {
        return reads;
    }

    long readBytes() {
        return readBytes;
    }

    // ---- transitions ----

    /** Gives a new process its first address space (fork, init). */
    void attach(@Owning AddressSpace fresh) {
        if (space != null || state != ProcessState.RUNNING) {
            fresh.destroy().flush(); // never active on a CPU: the flush shoots down nothing
            throw new IllegalStateException(this + " already has an address space");
        }
        hold(fresh);
    }

    /** exec: the loaded image replaces the old one, which is torn down (after the TLB flush). */
    void replaceImage(@Owning AddressSpace loaded, Program program) {
        AddressSpace old = space();
        hold(loaded);
        old.destroy().flush();
        name = program.name();
        argv = program.argv();
        writeNames();
    }

    /** The one place the process takes ownership of an address space: releaseSpace() destroys it. */
    @SuppressWarnings("required.method.not.called") // held in a field that exec replaces and exit clears; releaseSpace destroys it
    private void hold(@Owning AddressSpace s) {
        space = s;
    }

    void threadStarted(int tid) {
        if (mainTid == 0) {
            mainTid = tid;
        }
        threads.add(tid);
        writeStruct();
    }

    /** Counts thread {@code tid} out; true if it was the last one. */
    boolean threadExited(int tid) {
        if (!threads.remove(Integer.valueOf(tid))) {
            throw new IllegalStateException(this + " has no live thread " + tid);
        }
        writeStruct();
        return threads.isEmpty();
    }

    /** The process is ending with {@code status} (the first exit, kill or crash decides it). */
    void markExiting(int status) {
        if (!exiting) {
            exiting = true;
            exitStatus = status;
            writeStruct();
        }
    }

    /** A signal ends the process with {@code status} (128 + the signal), remembering why. */
    void signalled(int status, String why) {
        if (!exiting) {
            crash = why;
            markExiting(status);
        }
    }

    /** A thread's body threw: the process ends with SIGABRT's status, remembering why. */
    void crashed(String why) {
        if (!exiting) {
            crash = why;
            markExiting(128 + 6);
        }
    }

    /**
     * The last thread has exited: release the address space and page tables now (a zombie keeps
     * only what waitpid needs) and become a zombie.
     */
    void becomeZombie() {
        if (!threads.isEmpty() || state != ProcessState.RUNNING) {
            throw new IllegalStateException(this + " cannot become a zombie: " + threads.size() + " threads, " + state);
        }
        releaseSpace();
        state = ProcessState.ZOMBIE;
        writeStruct();
    }

    void reparentTo(int newParent) {
        ppid = newParent;
        writeStruct();
    }

    /** Takes ownership of {@code child} (a new child, or an orphan passed to init). */
    void adopt(@Owning Process child) {
        children.adopt(child);
    }

    /** Gives up ownership of child {@code pid} (to the reaper); null if it is not a child. */
    @Nullable Process disown(int pid) {
        return children.disown(pid);
    }

    /** Gives up its oldest child (to hand every child on to init), or null when it has none. */
    @Nullable Process disownFirst() {
        return children.disownFirst();
    }

    /**
     * Frees the process in the order B1 requires: its address space if it still has one, then the
     * struct, whose {@link Container#free} frees the command-line buffer first.
     */
    @EnsuresCalledMethods(value = "this.struct", methods = "free")
    void destroy() {
        releaseSpace();
        if (heap.faults().isPlanted(PlantedBug.B1)) {
            heap.plantedKfree(struct.address()); // Tilck's old order: kfree(pi) first — refused while it owns the buffer
        }
        struct.free();
    }

    private void releaseSpace() {
        AddressSpace s = space;
        if (s != null) {
            space = null;
            s.destroy().flush();
        }
    }

    // ---- the struct in the kernel heap ----

    /** Mirrors the Java-side scalar state into the heap struct (on every state change). */
    private void writeStruct() {
        struct.write(layout.field("ppid"), ppid);
        struct.write(layout.field("state"), state.ordinal());
        struct.write(layout.field("exit_code"), exitStatus);
        struct.write(layout.field("threads"), threads.size());
    }

    /**
     * Writes {@code comm} and the command line into the heap (at creation and exec), NUL-terminated
     * and truncated to fit; bytes a longer previous name left behind are zeroed.
     */
    private void writeNames() {
        Field comm = layout.field("comm");
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < comm.count(); i++) {
            struct.write(comm, i, i < Math.min(n.length, comm.count() - 1) ? n[i] : 0);
        }
        byte[] line = String.join(" ", argv).getBytes(StandardCharsets.UTF_8);
        int length = Math.min(line.length, CMDLINE_BYTES - 1);
        for (int i = 0; i < Math.max(length, cmdlineLength); i++) {
            debugCmdline.writeU8(i, i < length ? line[i] : 0);
        }
        cmdlineLength = length;
    }

    /** The debug command line, read back from its buffer through the struct's pointer. */
    String debugCmdline() {
        if (struct.read(layout.field("debug_cmdline")) != debugCmdline.address()) {
            throw new IllegalStateException("process " + pid + ": debug_cmdline does not point at its buffer");
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < CMDLINE_BYTES; i++) {
            int c = debugCmdline.readU8(i);
            if (c == 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "process " + pid + " (" + name + ")";
    }
}
