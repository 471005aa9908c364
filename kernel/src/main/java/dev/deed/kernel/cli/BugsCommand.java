package dev.deed.kernel.cli;

import dev.deed.frame.AllocatorStats;
import dev.deed.frame.Frame;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.Segment;
import dev.deed.frame.Tracked;
import dev.deed.frame.Untracked;
import dev.deed.frame.Usage;
import dev.deed.heap.Block;
import dev.deed.heap.HeapConfig;
import dev.deed.heap.KernelHeap;
import dev.deed.heap.LiveChildrenException;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.kernel.workload.Transcript;
import dev.deed.kernel.workload.WorkloadRun;
import dev.deed.kernel.workload.Workloads;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.PagingFormats;
import dev.deed.paging.VirtAddr;
import dev.deed.task.Scheduler;
import dev.deed.task.SchedulerConfig;
import dev.deed.task.StackInUseException;
import dev.deed.task.TaskHandle;
import java.io.PrintWriter;
import java.lang.reflect.InaccessibleObjectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code deed bugs}: replays B1–B5. For each, the original bug in one line, what Deed does, and what
 * each layer said when the scenario ran just now: the compiler's error key, the runtime's error
 * message, the regression's resource count.
 */
@Command(name = "bugs", mixinStandardHelpOptions = true,
        description = "Replay the five kernel bugs Deed exists for, and show which layer catches each, computed now.")
// picocli injects the spec; each scenario owns and drops what it builds; B2 rebuilds rCore's list of thread handles
@SuppressWarnings({"initialization.field.uninitialized", "required.method.not.called", "mustcall:type.argument",
        "mustcall:type.arguments.not.inferred"})
final class BugsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output = new OutputOptions();

    private final List<String> failures = new ArrayList<>();
    /** What each bug's replay found, in order: its header, then one entry per layer. */
    private final List<Bug> bugs = new ArrayList<>();

    private record Layer(String layer, @Nullable String evidence) {
    }

    private record Bug(String id, String original, String deed, List<Layer> layers) {
    }

    @Override
    public Integer call() {
        PrintWriter out = DeedCli.out(spec);
        PrintWriter sink = output.json ? new PrintWriter(java.io.Writer.nullWriter()) : out;
        b1(sink);
        b2(sink);
        b3(sink);
        b4(sink);
        b5(sink);
        if (output.json) {
            out.print(Json.object(g -> {
                g.writeArrayFieldStart("bugs");
                for (Bug b : bugs) {
                    g.writeStartObject();
                    g.writeStringField("id", b.id());
                    g.writeStringField("original", b.original());
                    g.writeStringField("deed", b.deed());
                    g.writeArrayFieldStart("layers");
                    for (Layer l : b.layers()) {
                        g.writeStartObject();
                        g.writeStringField("layer", l.layer());
                        g.writeBooleanField("caught", l.evidence() != null);
                        if (l.evidence() != null) {
                            g.writeStringField("evidence", l.evidence());
                        }
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeBooleanField("allCaught", failures.isEmpty());
            }));
        } else {
            out.println(failures.isEmpty() ? "All five are caught." : "NOT caught: " + failures);
        }
        out.flush();
        return failures.isEmpty() ? 0 : DeedCli.FAILURE;
    }

    private void b1(PrintWriter out) {
        header(out, "B1", "Tilck #228: free_process_int() freed the process struct, then read debug_cmdline out of it (0xfaabcafe...)",
                "a struct owns its buffer; freeing it first is refused, and the static free order is checked");
        String snippet = """
                package misuse;
                import dev.deed.heap.*;
                import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
                import org.checkerframework.checker.mustcall.qual.*;
                @InheritableMustCall("destroy")
                final class Snippet {
                    private final @Owning Block struct;
                    private final @Owning Block debugCmdline;
                    Snippet(KernelHeap heap) { struct = heap.kzalloc(2048); debugCmdline = heap.kmalloc(64); }
                    @EnsuresCalledMethods(value = {"this.struct", "this.debugCmdline"}, methods = "close")
                    void destroy() { struct.freeAfter(debugCmdline); debugCmdline.close(); }
                }
                """;
        if (SnippetCompiler.checkerPath().isPresent()) {
            try {
                layer(out, "build (Resource Leak Checker)", SnippetCompiler.firstError(snippet, "dev.deed.heap", true)
                        .<@Nullable String>map(key -> "the container-first destructor fails with " + key).orElse(null));
            } catch (RuntimeException | LinkageError e) {
                out.println("    build (Resource Leak Checker): not run here (the checker could not load in this JVM: "
                        + e.getClass().getSimpleName() + ")");
            }
        } else {
            out.println("    build (Resource Leak Checker): not run here (no Checker Framework jars next to the CLI)");
        }
        FrameAllocator frames = FrameAllocator.boot(Machine.riscv64(64L << 20));
        KernelHeap heap = KernelHeap.create(frames, HeapConfig.forMachine(frames.machine()));
        Block struct = heap.kzalloc(2048);
        Block cmdline = heap.kmalloc(64);
        struct.own(cmdline);
        @Nullable String refused = null;
        try {
            struct.close();
        } catch (LiveChildrenException e) {
            refused = e.getMessage();
        }
        layer(out, "run time", refused);
        long address = cmdline.address();
        cmdline.close();
        struct.freeAfter(cmdline);
        long poison = frames.memory().readU64(address);
        layer(out, "poisoning (every heap)", poison == 0xFAAB_CAFE_FAAB_CAFEL
                ? String.format("the freed buffer reads 0x%x: a stale pointer would be caught", poison) : null);
    }

    private void b2(PrintWriter out) {
        header(out, "B2", "rCore #144: the exiting main thread freed its own kernel stack (tasks.clear()) while running on it",
                "a task has no handle to its own stack; freeing the current stack is refused; stacks are freed after the switch");
        FrameAllocator frames = FrameAllocator.boot(Machine.riscv64(64L << 20));
        PageTable<KernelSpace> kernel = PageTable.kernel(PagingFormats.named("sv39"), frames);
        Scheduler cpu = Scheduler.create(SchedulerConfig.defaults(), frames, kernel);
        List<TaskHandle> threads = new ArrayList<>();
        @Nullable String[] refused = new String[1];
        threads.add(cpu.spawn("main", ctx -> {
            try {
                threads.forEach(TaskHandle::release);
            } catch (StackInUseException e) {
                refused[0] = e.getMessage();
            }
        }));
        cpu.run();
        layer(out, "run time", refused[0]);
        int stacksBefore = cpu.census().stacks();
        threads.get(0).release();
        layer(out, "after the switch", stacksBefore == 1 && cpu.census().stacks() == 0
                ? "the zombie kept its stack until the reaper released it: 1 -> 0 stacks" : null);
    }

    private void b3(PrintWriter out) {
        header(out, "B3", "Asterinas #1760: a test forged Page::from_unused(0x1000), dropped it, and the allocator hung at 100 pages",
                "only the allocator mints tracked frames; a foreign free is refused and changes nothing");
        layer(out, "build (javac + JPMS)", SnippetCompiler.firstError("""
                package misuse;
                import dev.deed.frame.*;
                class Snippet {
                    Frame<Tracked> forge(FrameAllocator a) { return Frame.fromUnused(a, PhysAddr.of(0x1000)); }
                }
                """, "dev.deed.frame", false).<@Nullable String>map(key -> "forging fails with " + key).orElse(null));
        @Nullable String reflection = null;
        try {
            Frame.class.getDeclaredMethod("fromUnused", FrameAllocator.class, PhysAddr.class).setAccessible(true);
        } catch (InaccessibleObjectException e) {
            reflection = "reflection refused: " + e.getClass().getSimpleName();
        } catch (NoSuchMethodException e) {
            reflection = null;
        }
        layer(out, "run time (strong encapsulation)", reflection);
        FrameAllocator frames = FrameAllocator.boot(new Machine("b3", PhysAddr.of(0), 64L << 20, List.of(), 1));
        try (Segment<Tracked> ten = frames.allocContiguous(Usage.KERNEL, 10);
             Segment<Tracked> hundred = frames.allocContiguous(Usage.KERNEL, 100)) {
            layer(out, "allocator", ten.frames() + hundred.frames() == 110
                    ? "10 and then 100 frames allocate at once, nothing hangs" : null);
        }
    }

    private void b4(PrintWriter out) {
        header(out, "B4", "Asterinas #1491: every task leaked (a self-reference on park, locals across the last switch, procfs caches)",
                "current-task slots hold ids, procfs holds pids (an ArchUnit rule in archtests); leaks are counted");
        WorkloadRun run = WorkloadRun.run(KernelConfig.of("riscv64", 128L << 20), Workloads.named("procfs-walk"), 8,
                Transcript.quiet(), sys -> { });
        WorkloadRun bomb = WorkloadRun.run(KernelConfig.of("i386", 128L << 20), Workloads.named("forkbomb"), 300,
                Transcript.quiet(), sys -> { });
        layer(out, "regression (resource counts)", run.clean() && bomb.clean()
                ? "a /proc walk over 8 processes and a 300-process fork bomb: every task, stack, pid and frame came back" : null);
    }

    private void b5(PrintWriter out) {
        header(out, "B5", "Asterinas PR #1372: a page-table destructor released untracked leaves (MMIO) as if it owned them",
                "Frame<Untracked> cannot reach a user table; leaves record tracking in a PTE bit; only tracked leaves are released");
        layer(out, "build (javac, phantom types)", SnippetCompiler.firstError("""
                package misuse;
                import dev.deed.frame.*;
                import dev.deed.paging.*;
                class Snippet {
                    void map(PageTable<UserSpace> user, Frame<Untracked> mmio) {
                        user.map(VirtAddr.of(0x400000), mmio, PageProperty.userData());
                    }
                }
                """, "dev.deed.paging", false).<@Nullable String>map(key -> "an untracked frame in a user table fails with " + key)
                .orElse(null));
        FrameAllocator frames = FrameAllocator.boot(Machine.riscv64(64L << 20));
        AllocatorStats before = frames.stats();
        PageTable<KernelSpace> table = PageTable.kernel(PagingFormats.named("sv39"), frames);
        try (Segment<Untracked> mmio = frames.untrackedRange(PhysAddr.of(0x1_0000_1000L), (2L << 30) + (2L << 20))) {
            PageTable.mapUntracked(table, VirtAddr.of(0xFFFF_FFC0_0000_1000L), mmio, PageProperty.kernelData());
            table.unmap(VirtAddr.of(0xFFFF_FFC0_3FE0_0000L), 12L << 20).flush();
        }
        table.destroy().flush();
        frames.drainCpuCaches();
        layer(out, "run time (allocator state)", before.equals(frames.stats())
                ? "2 GiB of untracked memory mapped, split, unmapped, destroyed: the allocator is exactly as before" : null);
    }

    private void header(PrintWriter out, String id, String bug, String deed) {
        bugs.add(new Bug(id, bug, deed, new ArrayList<>()));
        out.println(id + "  " + bug);
        out.println("    Deed: " + deed);
    }

    private void layer(PrintWriter out, String layer, @Nullable String evidence) {
        bugs.get(bugs.size() - 1).layers().add(new Layer(layer, evidence));
        if (evidence == null) {
            failures.add(layer);
            out.println("    " + layer + ": NOT CAUGHT");
        } else {
            out.println("    " + layer + ": " + evidence);
        }
    }
}
