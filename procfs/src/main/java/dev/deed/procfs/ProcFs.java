package dev.deed.procfs;

import dev.deed.frame.AllocatorStats;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Usage;
import dev.deed.heap.HeapStats;
import dev.deed.heap.KernelHeap;
import dev.deed.heap.SlabClassStats;
import dev.deed.process.FileSystem;
import dev.deed.process.ProcessInfo;
import dev.deed.process.ProcessState;
import dev.deed.process.ProcessTable;
import dev.deed.process.VmArea;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The /proc file system. Holds the kernel's tables, never a process: every read is by pid. */
public final class ProcFs implements FileSystem {
    private static final List<String> PID_FILES = List.of("cmdline", "maps", "stat", "status");
    private static final List<String> TOP_FILES = List.of("buddyinfo", "meminfo", "self", "slabinfo");

    private final FrameAllocator frames;
    private final KernelHeap heap;
    private final ProcessTable processes;

    public ProcFs(FrameAllocator frames, KernelHeap heap, ProcessTable processes) {
        this.frames = frames;
        this.heap = heap;
        this.processes = processes;
    }

    @Override
    public List<String> list(String path, int callerPid) {
        Path p = Path.parse(path, callerPid);
        if (p.pid == null && p.file == null) {
            List<String> entries = new ArrayList<>();
            processes.pids().forEach(pid -> entries.add(Integer.toString(pid)));
            entries.addAll(TOP_FILES);
            return entries;
        }
        if (p.file == null) {
            requireProcess(p);
            return PID_FILES;
        }
        read(path, callerPid); // a file that exists: not a directory
        throw new ProcfsException(ProcfsException.Kind.NOT_A_DIRECTORY, "not a directory: " + path);
    }

    @Override
    public String read(String path, int callerPid) {
        Path p = Path.parse(path, callerPid);
        String file = p.file;
        if (file == null) {
            if (p.pid != null) {
                requireProcess(p);
            }
            throw new ProcfsException(ProcfsException.Kind.IS_A_DIRECTORY, "is a directory: " + path);
        }
        if (p.pid == null) {
            return switch (file) {
                case "meminfo" -> meminfo();
                case "buddyinfo" -> buddyinfo();
                case "slabinfo" -> slabinfo();
                default -> throw noSuchFile(path, "");
            };
        }
        ProcessInfo info = requireProcess(p);
        return switch (file) {
            case "status" -> status(info);
            case "cmdline" -> String.join("\0", info.argv()) + "\0";
            case "maps" -> maps(info, 25 + 6 * heap.config().pointerBytes() - 1);
            case "stat" -> stat(info);
            default -> throw noSuchFile(path, "");
        };
    }

    public ProcStat stat(String path, int callerPid) {
        Path p = Path.parse(path, callerPid);
        if (p.file == null) {
            if (p.pid != null) {
                requireProcess(p);
            }
            return new ProcStat(path, true, 0);
        }
        return new ProcStat(path, false, read(path, callerPid).getBytes(StandardCharsets.UTF_8).length);
    }

    private ProcessInfo requireProcess(Path p) {
        Integer pid = p.pid;
        if (pid == null) {
            throw new IllegalStateException("no pid in " + p.text);
        }
        return processes.procEntry(pid).orElseThrow(() -> noSuchFile(p.text, " (no process " + pid + ")"));
    }

    private static ProcfsException noSuchFile(String path, String why) {
        return new ProcfsException(ProcfsException.Kind.NO_SUCH_FILE, "no such file: " + path + why);
    }

    // ---- the files, in Linux's formats ----

    private String meminfo() {
        AllocatorStats s = frames.stats();
        HeapStats h = heap.stats();
        StringBuilder b = new StringBuilder();
        kb(b, "MemTotal", s.total());
        kb(b, "MemFree", s.free());
        kb(b, "MemAvailable", s.free() + h.cachedMainBlocks() * 0L);
        kb(b, "Buffers", 0);
        kb(b, "Cached", 0);
        kb(b, "AnonPages", s.used(Usage.USER));
        kb(b, "Slab", s.used(Usage.HEAP));
        kb(b, "SReclaimable", 0);
        kb(b, "SUnreclaim", s.used(Usage.HEAP));
        kb(b, "KernelStack", s.used(Usage.KERNEL_STACK));
        kb(b, "PageTables", s.used(Usage.PAGE_TABLE));
        return b.toString();
    }

    private static void kb(StringBuilder b, String name, long frames) {
        b.append(String.format("%-16s%8d kB%n", name + ":", frames * 4));
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

    private static String status(ProcessInfo p) {
        return "Name:\t" + p.name() + "\n"
                + "State:\t" + (p.state() == ProcessState.ZOMBIE ? "Z (zombie)" : "S (sleeping)") + "\n"
                + "Tgid:\t" + p.pid() + "\n"
                + "Pid:\t" + p.pid() + "\n"
                + "PPid:\t" + p.ppid() + "\n"
                + "Threads:\t" + p.threads() + "\n"
                + (p.state() == ProcessState.ZOMBIE ? "" // a zombie has no memory: Linux prints no Vm lines
                        : String.format("VmSize:\t%8d kB%n", p.vmSize() / 1024) + String.format("VmRSS:\t%8d kB%n", p.rss() / 1024));
    }

    /** Linux's format; the name starts at column {@code nameColumn} (25 + 6 × pointer size − 1, as seq_pad does). */
    private static String maps(ProcessInfo p, int nameColumn) {
        StringBuilder b = new StringBuilder();
        for (VmArea a : p.areas()) {
            String line = String.format("%08x-%08x %s %08x %02x:%02x %d ", a.start(), a.end(), a.rights().maps(), 0, 0, 0, 0);
            String name = a.name().equals("[anon]") ? "" : a.name();
            b.append(name.isEmpty() ? line.stripTrailing() : String.format("%-" + nameColumn + "s%s", line, name)).append('\n');
        }
        return b.toString();
    }

    private static String stat(ProcessInfo p) {
        char state = p.state() == ProcessState.ZOMBIE ? 'Z' : 'S';
        // pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        // priority nice num_threads itrealvalue starttime vsize rss
        return String.format("%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 0 0 0 0 20 0 %d 0 0 %d %d%n",
                p.pid(), p.name(), state, p.ppid(), p.pid(), p.pid(), p.threads(), p.vmSize(), p.rss() / 4096);
    }

    /** A parsed /proc path: a pid (or null) and a file (or null for a directory). */
    private record Path(String text, @Nullable Integer pid, @Nullable String file) {
        static Path parse(String path, int callerPid) {
            String p = path.strip();
            while (p.length() > 1 && p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            if (!p.equals("/proc") && !p.startsWith("/proc/")) {
                throw noSuchFile(path, " (procfs is mounted at /proc)");
            }
            String[] parts = p.equals("/proc") ? new String[0] : p.substring(6).split("/");
            if (parts.length == 0) {
                return new Path(path, null, null);
            }
            String first = parts[0];
            Integer pid;
            if (first.equals("self")) {
                pid = callerPid;
            } else if (first.matches("[1-9][0-9]{0,8}")) {
                pid = Integer.valueOf(first);
            } else {
                if (parts.length == 1 && TOP_FILES.contains(first) ) {
                    return new Path(path, null, first);
                }
                throw noSuchFile(path, "");
            }
            if (parts.length == 1) {
                return new Path(path, pid, null);
            }
            if (parts.length == 2 && PID_FILES.contains(parts[1])) {
                return new Path(path, pid, parts[1]);
            }
            throw noSuchFile(path, "");
        }
    }
}
