package dev.deed.procfs;

import dev.deed.frame.AllocatorStats;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Usage;
import dev.deed.paging.PagingFormats;
import dev.deed.heap.KernelHeap;
import dev.deed.heap.SlabClassStats;
import dev.deed.process.PidAllocator;
import dev.deed.process.ProcessInfo;
import dev.deed.process.ProcessTable;
import dev.deed.task.CpuTimes;
import dev.deed.task.Scheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The machine-wide files of /proc, in Linux's formats: memory ({@code meminfo}, {@code vmstat},
 * {@code buddyinfo}, {@code slabinfo}), time and load ({@code stat}, {@code uptime}, {@code loadavg})
 * from the scheduler's simulated clock, {@code cpuinfo} per architecture, and {@code sys/kernel}.
 */
final class SystemFiles {
    /**
     * The wall-clock second Deed's machines boot at (2026-01-01T00:00:00Z): a constant, so that
     * {@code btime} and every start time derived from it are the same run after run.
     */
    static final long BOOT_EPOCH = 1_767_225_600L;
    /** The kernel release Deed reports: Linux's format, so tools that parse it accept it. */
    static final String RELEASE = "6.1.0-deed";

    private final FrameAllocator frames;
    private final KernelHeap heap;
    private final ProcessTable processes;
    private final Scheduler scheduler;
    private final String mmu;

    SystemFiles(FrameAllocator frames, KernelHeap heap, ProcessTable processes, Scheduler scheduler, String mmu) {
        this.frames = frames;
        this.heap = heap;
        this.processes = processes;
        this.scheduler = scheduler;
        this.mmu = mmu;
    }

    /** The top-level entries other than processes and {@code self}, by name, in the order /proc lists them. */
    Map<String, Supplier<Node>> files() {
        Map<String, Supplier<Node>> files = new LinkedHashMap<>();
        files.put("buddyinfo", () -> new Node.File(this::buddyinfo));
        files.put("cpuinfo", () -> new Node.File(this::cpuinfo));
        files.put("loadavg", () -> new Node.File(this::loadavg));
        files.put("meminfo", () -> new Node.File(this::meminfo));
        files.put("slabinfo", () -> new Node.File(this::slabinfo));
        files.put("stat", () -> new Node.File(this::stat));
        files.put("sys", this::sys);
        files.put("uptime", () -> new Node.File(this::uptime));
        files.put("vmstat", () -> new Node.File(this::vmstat));
        return files;
    }

    // ---- memory ----

    /** Free frames in the buddy lists: what Linux counts as free (pages cached per CPU are not). */
    private static long buddyFree(AllocatorStats s) {
        long free = 0;
        List<Integer> blocks = s.freeBlocks();
        for (int order = 0; order < blocks.size(); order++) {
            free += (long) blocks.get(order) << order;
        }
        return free;
    }

    private String meminfo() {
        AllocatorStats s = frames.stats();
        long total = s.total() - s.reserved();
        long free = buddyFree(s);
        long anon = s.used(Usage.USER);
        long slab = s.used(Usage.HEAP);
        long committed = 0;
        for (int pid : processes.pids()) {
            committed += processes.info(pid).map(ProcessInfo::vmSize).orElse(0L) / 4096;
        }
        long huge = PagingFormats.named(mmu).pageSize(1) / 1024; // the arch's first superpage size, as Hugepagesize shows it
        StringBuilder b = new StringBuilder();
        kb(b, "MemTotal", total);
        kb(b, "MemFree", free);
        kb(b, "MemAvailable", free + s.cached()); // free in the buddy lists, and cached per CPU
        for (String none : List.of("Buffers", "Cached", "SwapCached")) {
            kb(b, none, 0);
        }
        kb(b, "Active", anon);
        kb(b, "Inactive", 0);
        kb(b, "Active(anon)", anon);
        for (String none : List.of("Inactive(anon)", "Active(file)", "Inactive(file)", "Unevictable", "Mlocked", "SwapTotal",
                "SwapFree", "Dirty", "Writeback")) {
            kb(b, none, 0);
        }
        kb(b, "AnonPages", anon);
        kb(b, "Mapped", 0);
        kb(b, "Shmem", 0);
        kb(b, "KReclaimable", 0);
        kb(b, "Slab", slab);
        kb(b, "SReclaimable", 0);
        kb(b, "SUnreclaim", slab);
        kb(b, "KernelStack", s.used(Usage.KERNEL_STACK));
        kb(b, "PageTables", s.used(Usage.PAGE_TABLE));
        for (String none : List.of("NFS_Unstable", "Bounce", "WritebackTmp")) {
            kb(b, none, 0);
        }
        kb(b, "CommitLimit", total / 2); // Linux's default: half of RAM (overcommit_ratio 50), no swap
        kb(b, "Committed_AS", committed);
        for (String none : List.of("VmallocTotal", "VmallocUsed", "VmallocChunk", "Percpu", "HardwareCorrupted", "AnonHugePages",
                "ShmemHugePages", "ShmemPmdMapped", "FileHugePages", "FilePmdMapped")) {
            kb(b, none, 0);
        }
        for (String none : List.of("HugePages_Total", "HugePages_Free", "HugePages_Rsvd", "HugePages_Surp")) {
            b.append(String.format("%-16s%8d%n", none + ":", 0));
        }
        b.append(String.format("%-16s%8d kB%n", "Hugepagesize:", huge));
        b.append(String.format("%-16s%8d kB%n", "Hugetlb:", 0));
        return b.toString();
    }

    private static void kb(StringBuilder b, String name, long frames) {
        b.append(String.format("%-16s%8d kB%n", name + ":", frames * 4));
    }

    private String vmstat() {
        AllocatorStats s = frames.stats();
        long anon = s.used(Usage.USER);
        Map<String, Long> v = new LinkedHashMap<>();
        v.put("nr_free_pages", buddyFree(s));
        v.put("nr_zone_inactive_anon", 0L);
        v.put("nr_zone_active_anon", anon);
        v.put("nr_inactive_anon", 0L);
        v.put("nr_active_anon", anon);
        v.put("nr_anon_pages", anon);
        for (String none : List.of("nr_mapped", "nr_file_pages", "nr_dirty", "nr_writeback", "nr_shmem", "nr_slab_reclaimable")) {
            v.put(none, 0L);
        }
        v.put("nr_slab_unreclaimable", s.used(Usage.HEAP));
        v.put("nr_kernel_stack", s.used(Usage.KERNEL_STACK) * 4); // Linux counts this one in kB
        v.put("nr_page_table_pages", s.used(Usage.PAGE_TABLE));
        for (String none : List.of("pgpgin", "pgpgout", "pswpin", "pswpout")) {
            v.put(none, 0L); // no swap, no files
        }
        v.put("pgfault", processes.pageFaults());
        v.put("pgmajfault", 0L); // every fault is minor: a zeroed page, a copy, or a page taken over
        StringBuilder b = new StringBuilder();
        v.forEach((k, n) -> b.append(k).append(' ').append(n).append('\n'));
        return b.toString();
    }

    private String buddyinfo() {
        StringBuilder b = new StringBuilder(String.format("Node 0, zone %8s ", "Normal"));
        for (int count : frames.stats().freeBlocks()) {
            b.append(String.format("%6d ", count));
        }
        return b.append('\n').toString();
    }

    private String slabinfo() {
        StringBuilder b = new StringBuilder("slabinfo - version: 2.1\n");
        b.append("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit>"
                + " <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
        for (SlabClassStats c : heap.stats().classes()) {
            b.append(String.format("%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d : slabdata %6d %6d %6d%n",
                    c.name(), c.activeObjects(), c.totalObjects(), c.objectSize(), 4096 / c.objectSize(), 1, 0, 0, 0,
                    c.slabs(), c.slabs(), 0));
        }
        return b.toString();
    }

    // ---- time, load, CPUs ----

    private String stat() {
        StringBuilder lines = new StringBuilder();
        long user = 0;
        long system = 0;
        long idle = 0;
        long switches = 0;
        for (int i = 0; i < scheduler.cpuCount(); i++) {
            CpuTimes c = scheduler.cpuTimes(i);
            lines.append(cpuLine("cpu" + i, c.user(), c.system(), c.idle()));
            user += c.user();
            system += c.system();
            idle += c.idle();
            switches += c.switches();
        }
        return cpuLine("cpu ", user, system, idle) + lines
                + "intr 0\n"
                + "ctxt " + switches + "\n"
                + "btime " + BOOT_EPOCH + "\n"
                + "processes " + processes.forks() + "\n"
                + "procs_running " + scheduler.active() + "\n"
                + "procs_blocked 0\n"
                + "softirq 0 0 0 0 0 0 0 0 0 0 0\n";
    }

    /** user nice system idle iowait irq softirq steal guest guest_nice, in ticks. */
    private static String cpuLine(String name, long user, long system, long idle) {
        return name + " " + user + " 0 " + system + " " + idle + " 0 0 0 0 0 0\n";
    }

    private String uptime() {
        long idle = 0;
        for (int i = 0; i < scheduler.cpuCount(); i++) {
            idle += scheduler.cpuTimes(i).idle();
        }
        return seconds(scheduler.ticks()) + " " + seconds(idle) + "\n";
    }

    private static String seconds(long ticks) {
        return ticks / Scheduler.HZ + "." + String.format("%02d", ticks % Scheduler.HZ * 100 / Scheduler.HZ);
    }

    private String loadavg() {
        return scheduler.loadAverage() + " " + scheduler.active() + "/" + scheduler.taskCount() + " " + processes.lastPid() + "\n";
    }

    private String cpuinfo() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < scheduler.cpuCount(); i++) {
            b.append(scheduler.layout().cpuinfo(i, scheduler.cpuCount(), mmu));
        }
        return b.toString();
    }

    private Node sys() {
        Map<String, Supplier<String>> kernel = new LinkedHashMap<>();
        kernel.put("ostype", () -> "Linux\n"); // the interface Deed's /proc implements, as tools check it
        kernel.put("osrelease", () -> RELEASE + "\n");
        kernel.put("pid_max", () -> PidAllocator.PID_MAX + "\n");
        Node kernelDir = new Node.Dir(() -> List.copyOf(kernel.keySet()), name -> {
            Supplier<String> file = kernel.get(name);
            return file == null ? null : new Node.File(file);
        });
        return new Node.Dir(() -> List.of("kernel"), name -> name.equals("kernel") ? kernelDir : null);
    }
}
