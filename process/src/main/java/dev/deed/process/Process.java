package dev.deed.process;

import dev.deed.heap.Block;
import dev.deed.heap.Field;
import dev.deed.heap.KernelHeap;
import dev.deed.heap.StructLayout;
import dev.deed.paging.Tlb;
import dev.deed.task.TaskHandle;
import dev.deed.task.WaitQueue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One process. Its struct lives in the kernel heap ({@code task_and_process}: pid, ppid, state,
 * exit code, thread count, the {@code debug_cmdline} pointer, comm) and owns its debug command-line
 * buffer; {@link #destroy} frees the buffer, then the address space, then the struct.
 */
@InheritableMustCall("destroy")
final class Process {
    static final int CMDLINE_BYTES = 256;

    final int pid;
    int ppid;
    /** Owned children and threads; the pid table's reaper releases them (the checker cannot see into lists). */
    @SuppressWarnings({"mustcall:type.argument", "mustcall:type.arguments.not.inferred"})
    final List<Process> children = new ArrayList<>();
    @SuppressWarnings({"mustcall:type.argument", "mustcall:type.arguments.not.inferred"})
    final List<TaskHandle> threads = new ArrayList<>();
    final WaitQueue childEvents;
    AddressSpace space;
    ProcessState state = ProcessState.RUNNING;
    String name;
    List<String> argv;
    int exitStatus;
    int liveThreads;
    boolean exiting;
    @Nullable String crash;

    private final StructLayout layout;
    private final @Owning Block struct;
    private final @Owning Block debugCmdline;
    /** Bytes of the command line in {@link #debugCmdline} before its NUL (the rest of the buffer is zero). */
    private int cmdlineLength;

    Process(int pid, int ppid, String name, List<String> argv, AddressSpace space, KernelHeap heap, WaitQueue childEvents) {
        this.pid = pid;
        this.ppid = ppid;
        this.name = name;
        this.argv = List.copyOf(argv);
        this.space = space;
        this.childEvents = childEvents;
        this.layout = layout(heap.config().pointerBytes());
        this.struct = heap.kzalloc(layout.size());
        this.debugCmdline = heap.kzalloc(CMDLINE_BYTES);
        struct.label("task_and_process " + pid);
        debugCmdline.label("debug_cmdline " + pid);
        struct.own(debugCmdline);
        struct.write(layout.field("debug_cmdline"), debugCmdline.address());
        struct.write(layout.field("pid"), pid);
        writeStruct();
        writeNames();
    }

    static StructLayout layout(int pointerBytes) {
        return StructLayout.builder("task_and_process", pointerBytes)
                .u32("pid").u32("ppid").u32("state").u32("exit_code").u32("threads")
                .pointer("debug_cmdline").bytes("comm", 16).build();
    }

    /** Mirrors the Java-side scalar state into the heap struct (on every state change). */
    void writeStruct() {
        struct.write(layout.field("ppid"), ppid);
        struct.write(layout.field("state"), state.ordinal());
        struct.write(layout.field("exit_code"), exitStatus);
        struct.write(layout.field("threads"), liveThreads);
    }

    /**
     * Writes {@code comm} and the command line into the heap (at creation and exec), NUL-terminated
     * and truncated to fit; bytes a longer previous name left behind are zeroed.
     */
    void writeNames() {
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

    /**
     * Frees the process in the order B1 requires: the owned buffer, then the address space (after
     * its TLB flush), then the struct — which {@code freeAfter} accepts only once the buffer is closed.
     */
    @EnsuresCalledMethods(value = {"this.debugCmdline", "this.struct"}, methods = "close")
    void destroy(Tlb[] tlbs) {
        debugCmdline.close();
        space.destroy().flush(tlbs);
        struct.freeAfter(debugCmdline);
    }

    @Override
    public String toString() {
        return "process " + pid + " (" + name + ")";
    }
}
