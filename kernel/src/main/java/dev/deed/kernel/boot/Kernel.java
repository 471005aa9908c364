package dev.deed.kernel.boot;

import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.MemoryLayouts;
import dev.deed.frame.spi.MemoryLayout;
import dev.deed.frame.MemRegion;
import dev.deed.frame.Segment;
import dev.deed.frame.Untracked;
import dev.deed.frame.Usage;
import dev.deed.heap.HeapConfig;
import dev.deed.heap.KernelHeap;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.PagingFormats;
import dev.deed.paging.VirtAddr;
import dev.deed.paging.spi.PagingFormat;
import dev.deed.process.Program;
import dev.deed.process.ProcessTable;
import dev.deed.procfs.ProcFs;
import dev.deed.task.ContextLayouts;
import dev.deed.task.RunResult;
import dev.deed.task.Scheduler;
import dev.deed.task.SchedulerConfig;
import java.util.EnumMap;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.checkerframework.checker.mustcall.qual.Owning;
import java.util.Map;
import java.util.List;
import java.util.stream.Collectors;

/** A booted Deed kernel on one simulated machine. It owns its kernel page table: {@link #shutdown()} destroys it. */
@InheritableMustCall("shutdown")
public final class Kernel {
    private final KernelConfig config;
    private final FrameAllocator frames;
    private final @Owning PageTable<KernelSpace> kernelTable;
    private final KernelHeap heap;
    private final Scheduler scheduler;
    private final ProcessTable processes;
    private final ProcFs procfs;

    private Kernel(KernelConfig config, FrameAllocator frames, @Owning PageTable<KernelSpace> kernelTable) {
        this.config = config;
        this.frames = frames;
        this.kernelTable = kernelTable;
        this.heap = KernelHeap.create(frames, HeapConfig.forMachine(frames.machine()).withPoison(config.poison()));
        this.scheduler = Scheduler.create(new SchedulerConfig(config.stackSize(), 1, config.seed(), 0), frames, kernelTable);
        this.processes = new ProcessTable(frames, heap, scheduler, kernelTable);
        this.procfs = new ProcFs(frames, heap, processes, scheduler, kernelTable.format().name());
        processes.mount(procfs);
    }

    /**
     * Boots: the arch module named {@code config.arch()} (found through ServiceLoader; an unknown
     * name is refused with the list of available ones), its default machine with the configured
     * RAM, and every subsystem. Init is started by {@link #run}.
     */
    public static Kernel boot(KernelConfig config) throws OutOfFramesException {
        String available = ContextLayouts.available().stream().map(l -> l.arch()).collect(Collectors.joining(", "));
        if (ContextLayouts.available().stream().noneMatch(l -> l.arch().equals(config.arch()))) {
            throw new IllegalArgumentException("unknown architecture '" + config.arch() + "'; available: " + available);
        }
        MemoryLayout layout = MemoryLayouts.forArch(config.arch());
        String paging = config.paging();
        PagingFormat format = format(config.arch(), paging == null ? layout.defaultPaging() : paging);
        FrameAllocator frames = FrameAllocator.boot(Machine.of(layout, config.memory()).withCpus(config.cpus()));
        config.planted().forEach(frames.faults()::plant);
        PageTable<KernelSpace> kernelTable = PageTable.kernel(format, frames);
        mapKernelImage(kernelTable, frames);
        return new Kernel(config, frames, kernelTable);
    }

    /** The paging format {@code name} of {@code arch}; refused, naming the arch's formats, for any other. */
    public static PagingFormat format(String arch, String name) {
        List<String> formats = PagingFormats.available().stream().filter(f -> f.arch().equals(arch)).map(PagingFormat::name).toList();
        if (!formats.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a paging format of " + arch + "; formats: "
                    + String.join(", ", formats));
        }
        return PagingFormats.named(name);
    }

    /** The reserved ranges (firmware, kernel image) mapped untracked, global, at the top of the kernel half. */
    private static void mapKernelImage(PageTable<KernelSpace> table, FrameAllocator frames) {
        long base = frames.layout().kernelImageBase();
        long ram = frames.machine().ramBase().value();
        for (MemRegion region : frames.machine().reserved()) {
            try (Segment<Untracked> range = frames.untrackedRange(region.start(), region.size())) {
                PageTable.mapUntracked(table, VirtAddr.of(base + (region.start().value() - ram)), range, PageProperty.parse("rwxg"));
            }
        }
    }

    /** Starts init running {@code program} and runs until nothing is runnable. */
    public RunResult run(Program init) {
        processes.startInit(init);
        return scheduler.run();
    }

    public ResourceReport report() {
        Map<Usage, Long> byUsage = new EnumMap<>(Usage.class);
        for (Usage u : Usage.values()) {
            byUsage.put(u, frames.stats().used(u));
        }
        return new ResourceReport(frames.stats().free() , byUsage, heap.stats().liveBlocks(), heap.stats().framesHeld(),
                processes.pidsInUse(), processes.count(), scheduler.census().tasks(), scheduler.census().stacks());
    }

    /** Ends any task still blocked and tears the kernel address space down. */
    @EnsuresCalledMethods(value = "this.kernelTable", methods = "destroy")
    public void shutdown() {
        scheduler.shutdown();
        kernelTable.destroy().flush();
        scheduler.cpus().drain();
    }

    /** Gives empty heap slabs and per-CPU frame caches back, so a report compares like with like. */
    public void settle() {
        scheduler.cpus().drain(); // every CPU is between steps: the shootdowns in flight complete
        heap.shrink();
        frames.drainCpuCaches();
    }

    public KernelConfig config() {
        return config;
    }

    public FrameAllocator frames() {
        return frames;
    }

    /** The kernel's page table, as a view: the kernel keeps owning it ({@link #shutdown()} destroys it). */
    public @NotOwning PageTable<KernelSpace> kernelTable() {
        return kernelTable;
    }

    public KernelHeap heap() {
        return heap;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public ProcessTable processes() {
        return processes;
    }

    public ProcFs procfs() {
        return procfs;
    }
}
