package dev.deed.procfs;

import dev.deed.process.AreaUsage;
import dev.deed.process.ProcessInfo;
import dev.deed.process.ProcessTable;
import dev.deed.process.ThreadInfo;
import dev.deed.process.VmArea;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of {@code /proc/PID} and {@code /proc/PID/task/TID}, in Linux's formats, rendered from a
 * snapshot. A zombie's look like a Linux zombie's: state Z, no memory, an empty command line.
 */
final class ProcessFiles {
    private static final long PAGE = 4096;

    private final ProcessTable processes;
    /** Where a maps line's name starts: 25 + 6 × pointer size − 1, as Linux's seq_pad does. */
    private final int nameColumn;

    /** The machine's CPUs, as Cpus_allowed (a hex mask) and Cpus_allowed_list show them: any task may run on any. */
    private final String cpusAllowed;
    private final String cpusAllowedList;

    ProcessFiles(ProcessTable processes, int pointerBytes, int cpus) {
        this.processes = processes;
        this.nameColumn = 25 + 6 * pointerBytes - 1;
        this.cpusAllowed = Long.toHexString((1L << cpus) - 1);
        this.cpusAllowedList = cpus == 1 ? "0" : "0-" + (cpus - 1);
    }

    String render(String file, ProcessInfo p) {
        ThreadInfo leader = p.tasks().isEmpty() ? null : p.tasks().get(0);
        return switch (file) {
            case "cmdline" -> p.argv().isEmpty() ? "" : String.join("\0", p.argv()) + "\0";
            case "environ" -> ""; // Deed's processes have no environment
            case "io" -> io(p);
            case "maps" -> maps(p);
            case "smaps" -> smaps(p);
            case "smaps_rollup" -> smapsRollup(p);
            case "stat" -> stat(p, p.pid(), p.stateCode(), p.utime(), p.stime(), p.startTick(), leader == null ? 0 : leader.cpu());
            case "statm" -> statm(p);
            case "status" -> status(p, p.pid(), p.stateCode(), switches(p, true), switches(p, false));
            default -> throw new IllegalArgumentException("no file " + file + " in /proc/" + p.pid());
        };
    }

    String renderThread(String file, ProcessInfo p, ThreadInfo t) {
        return switch (file) {
            case "stat" -> stat(p, t.tid(), t.stateCode(), t.utime(), t.stime(), t.startTick(), t.cpu());
            case "status" -> status(p, t.tid(), t.stateCode(), t.voluntary(), t.involuntary());
            default -> throw new IllegalArgumentException("no file " + file + " in /proc/" + p.pid() + "/task/" + t.tid());
        };
    }

    private static long switches(ProcessInfo p, boolean voluntary) {
        long n = 0;
        for (ThreadInfo t : p.tasks()) {
            n += voluntary ? t.voluntary() : t.involuntary();
        }
        return n;
    }

    // ---- stat and statm ----

    /** All 52 fields of Linux's stat, for the process ({@code id} its pid) or one of its threads. */
    private static String stat(ProcessInfo p, int id, char state, long utime, long stime, long start, int cpu) {
        boolean zombie = p.stateCode() == 'Z';
        long[] code = range(p, true);
        long stackTop = 0;
        long[] data = {0, 0};
        for (VmArea a : p.areas()) {
            if (a.name().equals("[stack]")) {
                stackTop = a.end();
            } else if (a.name().equals(".data")) {
                data = new long[] {a.start(), a.end()};
            }
        }
        int exitCode = !zombie ? 0 : p.exitStatus() > 128 ? p.exitStatus() - 128 : p.exitStatus() << 8;
        List<Object> f = new ArrayList<>(List.of(id, "(" + p.name() + ")", state, p.ppid(), p.pgid(), p.sid(),
                0, -1, 0L, 0, 0, 0, 0, // tty_nr tpgid flags minflt cminflt majflt cmajflt
                utime, stime, p.cutime(), p.cstime(), 20, 0, p.threads(), 0, start, p.vmSize(), p.rss() / PAGE,
                Long.toUnsignedString(-1L), code[0], code[1], stackTop, 0, 0, // rsslim startcode endcode startstack kstkesp kstkeip
                0, 0, 0, 0, 0, 0, 0, // signal blocked sigignore sigcatch wchan nswap cnswap
                17, cpu, 0, 0, 0, 0, 0, // exit_signal processor rt_priority policy blkio guest_time cguest_time
                data[0], data[1], data[1], 0, 0, 0, 0, exitCode)); // start_data end_data start_brk arg/env start/end, exit_code
        StringBuilder b = new StringBuilder();
        for (Object o : f) {
            b.append(b.isEmpty() ? "" : " ").append(o);
        }
        return b.append('\n').toString();
    }

    /** The first executable mapping's [start, end), or zeros. */
    private static long[] range(ProcessInfo p, boolean executable) {
        for (VmArea a : p.areas()) {
            if (a.rights().execute() == executable) {
                return new long[] {a.start(), a.end()};
            }
        }
        return new long[] {0, 0};
    }

    private static String statm(ProcessInfo p) {
        long text = 0;
        for (VmArea a : p.areas()) {
            text += a.rights().execute() ? a.size() : 0;
        }
        long size = p.vmSize() / PAGE;
        return size + " " + p.rss() / PAGE + " 0 " + text / PAGE + " 0 " + (size - text / PAGE) + " 0\n";
    }

    // ---- status ----

    private String status(ProcessInfo p, int id, char state, long voluntary, long involuntary) {
        StringBuilder b = new StringBuilder();
        line(b, "Name", p.name());
        line(b, "Umask", "0022");
        line(b, "State", state + " (" + switch (state) {
            case 'R' -> "running";
            case 'Z' -> "zombie";
            default -> "sleeping";
        } + ")");
        line(b, "Tgid", p.pid());
        line(b, "Ngid", 0);
        line(b, "Pid", id);
        line(b, "PPid", p.ppid());
        line(b, "TracerPid", 0);
        line(b, "Uid", "0\t0\t0\t0");
        line(b, "Gid", "0\t0\t0\t0");
        line(b, "FDSize", p.stateCode() == 'Z' ? 0 : 64);
        line(b, "Groups", "");
        line(b, "NStgid", p.pid());
        line(b, "NSpid", id);
        line(b, "NSpgid", p.pgid());
        line(b, "NSsid", p.sid());
        if (p.stateCode() != 'Z') { // a zombie has no memory: Linux prints no Vm lines
            long stack = 0;
            long text = 0;
            for (VmArea a : p.areas()) {
                stack += a.name().equals("[stack]") ? a.size() : 0;
                text += a.rights().execute() ? a.size() : 0;
            }
            kb(b, "VmPeak", p.vmPeak());
            kb(b, "VmSize", p.vmSize());
            kb(b, "VmLck", 0);
            kb(b, "VmPin", 0);
            kb(b, "VmHWM", p.vmPeak());
            kb(b, "VmRSS", p.rss());
            kb(b, "RssAnon", p.rss());
            kb(b, "RssFile", 0);
            kb(b, "RssShmem", 0);
            kb(b, "VmData", p.vmSize() - stack - text);
            kb(b, "VmStk", stack);
            kb(b, "VmExe", text);
            kb(b, "VmLib", 0);
            kb(b, "VmPTE", p.pageTableBytes());
            kb(b, "VmSwap", 0);
            kb(b, "HugetlbPages", 0);
        }
        line(b, "CoreDumping", 0);
        line(b, "THP_enabled", 0);
        line(b, "Threads", p.threads());
        line(b, "SigQ", "0/0");
        for (String mask : List.of("SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
            line(b, mask, "0000000000000000");
        }
        line(b, "NoNewPrivs", 0);
        line(b, "Seccomp", 0);
        line(b, "Cpus_allowed", cpusAllowed);
        line(b, "Cpus_allowed_list", cpusAllowedList);
        line(b, "Mems_allowed", "1");
        line(b, "Mems_allowed_list", "0");
        line(b, "voluntary_ctxt_switches", voluntary);
        line(b, "nonvoluntary_ctxt_switches", involuntary);
        return b.toString();
    }

    private static void line(StringBuilder b, String name, Object value) {
        b.append(name).append(":\t").append(value).append('\n');
    }

    private static void kb(StringBuilder b, String name, long bytes) {
        b.append(String.format("%s:\t%8d kB%n", name, bytes / 1024));
    }

    // ---- maps, smaps, io ----

    /** The mappings as Linux shows them: adjacent anonymous mappings with the same rights are one. */
    private static List<AreaUsage> merged(List<AreaUsage> areas) {
        List<AreaUsage> out = new ArrayList<>();
        for (AreaUsage u : areas) {
            AreaUsage last = out.isEmpty() ? null : out.get(out.size() - 1);
            VmArea a = u.area();
            if (last != null && last.area().end() == a.start() && last.area().rights().equals(a.rights())
                    && last.area().name().equals("[anon]") && a.name().equals("[anon]")) {
                out.set(out.size() - 1, new AreaUsage(new VmArea(last.area().start(), a.end(), a.rights(), "[anon]"),
                        last.resident() + u.resident(), last.dirty() + u.dirty(), last.referenced() + u.referenced(),
                        last.shared() + u.shared(), last.sharedDirty() + u.sharedDirty(), last.pss() + u.pss()));
            } else {
                out.add(u);
            }
        }
        return out;
    }

    private static List<AreaUsage> withoutUsage(ProcessInfo p) {
        return p.areas().stream().map(a -> new AreaUsage(a, 0, 0, 0, 0, 0, 0)).toList();
    }

    private String maps(ProcessInfo p) {
        StringBuilder b = new StringBuilder();
        for (AreaUsage u : merged(withoutUsage(p))) {
            b.append(header(u.area())).append('\n');
        }
        return b.toString();
    }

    private String header(VmArea a) {
        String line = String.format("%08x-%08x %s %08x %02x:%02x %d ", a.start(), a.end(), a.rights().maps(), 0, 0, 0, 0);
        String name = a.name().equals("[anon]") ? "" : a.name();
        return name.isEmpty() ? line.stripTrailing() : String.format("%-" + nameColumn + "s%s", line, name);
    }

    private String smaps(ProcessInfo p) {
        StringBuilder b = new StringBuilder();
        for (AreaUsage u : merged(processes.memoryOf(p.pid()))) {
            b.append(header(u.area())).append('\n');
            usage(b, u.area().size(), u);
            b.append("THPeligible:    0\n");
            b.append("VmFlags:").append(u.area().rights().read() ? " rd" : "").append(u.area().rights().write() ? " wr" : "")
                    .append(u.area().rights().execute() ? " ex" : "").append(" mr mw me ac\n");
        }
        return b.toString();
    }

    private String smapsRollup(ProcessInfo p) {
        List<AreaUsage> areas = processes.memoryOf(p.pid());
        if (areas.isEmpty()) {
            return "";
        }
        AreaUsage all = new AreaUsage(areas.get(0).area(), 0, 0, 0, 0, 0, 0);
        for (AreaUsage u : areas) {
            all = new AreaUsage(all.area(), all.resident() + u.resident(), all.dirty() + u.dirty(), all.referenced() + u.referenced(),
                    all.shared() + u.shared(), all.sharedDirty() + u.sharedDirty(), all.pss() + u.pss());
        }
        StringBuilder b = new StringBuilder(String.format("%-" + nameColumn + "s%s%n", String.format("%08x-%08x ---p %08x 00:00 0 ",
                areas.get(0).area().start(), areas.get(areas.size() - 1).area().end(), 0), "[rollup]"));
        smapsLine(b, "Rss", all.resident() * PAGE / 1024);
        smapsLine(b, "Pss", all.pss() / 1024);
        smapsLine(b, "Pss_Dirty", pssDirty(all) / 1024);
        smapsLine(b, "Pss_Anon", all.pss() / 1024);
        smapsLine(b, "Pss_File", 0);
        smapsLine(b, "Pss_Shmem", 0);
        privateAndRest(b, all);
        return b.toString();
    }

    /** One mapping's page counts in smaps' lines. */
    private static void usage(StringBuilder b, long size, AreaUsage u) {
        smapsLine(b, "Size", size / 1024);
        smapsLine(b, "KernelPageSize", 4);
        smapsLine(b, "MMUPageSize", 4);
        smapsLine(b, "Rss", u.resident() * PAGE / 1024);
        smapsLine(b, "Pss", u.pss() / 1024);
        smapsLine(b, "Pss_Dirty", pssDirty(u) / 1024);
        privateAndRest(b, u);
    }

    /** The dirty part of the Pss: private dirty pages whole, shared dirty ones in proportion (as the clean ones). */
    private static long pssDirty(AreaUsage u) {
        long privateDirty = (u.dirty() - u.sharedDirty()) * PAGE;
        long sharedPss = u.pss() - (u.resident() - u.shared()) * PAGE;
        return privateDirty + (u.shared() == 0 ? 0 : sharedPss * u.sharedDirty() / u.shared());
    }

    private static void privateAndRest(StringBuilder b, AreaUsage u) {
        long privatePages = u.resident() - u.shared();
        long privateDirty = u.dirty() - u.sharedDirty();
        smapsLine(b, "Shared_Clean", (u.shared() - u.sharedDirty()) * PAGE / 1024);
        smapsLine(b, "Shared_Dirty", u.sharedDirty() * PAGE / 1024);
        smapsLine(b, "Private_Clean", (privatePages - privateDirty) * PAGE / 1024);
        smapsLine(b, "Private_Dirty", privateDirty * PAGE / 1024);
        smapsLine(b, "Referenced", u.referenced() * PAGE / 1024);
        smapsLine(b, "Anonymous", u.resident() * PAGE / 1024);
        for (String none : List.of("LazyFree", "AnonHugePages", "ShmemPmdMapped", "FilePmdMapped", "Shared_Hugetlb",
                "Private_Hugetlb", "Swap", "SwapPss", "Locked")) {
            smapsLine(b, none, 0);
        }
    }

    private static void smapsLine(StringBuilder b, String name, long kb) {
        b.append(String.format("%-16s%8d kB%n", name + ":", kb));
    }

    private static String io(ProcessInfo p) {
        return "rchar: " + p.readBytes() + "\nwchar: 0\nsyscr: " + p.reads() + "\nsyscw: 0\nread_bytes: 0\nwrite_bytes: 0\n"
                + "cancelled_write_bytes: 0\n";
    }
}
