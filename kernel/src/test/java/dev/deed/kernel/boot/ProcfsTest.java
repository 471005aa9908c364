package dev.deed.kernel.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.process.Errno;
import dev.deed.process.FileStat;
import dev.deed.process.SyscallException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** /proc in Linux's formats, read from inside the system, and gone the moment a process is reaped. */
class ProcfsTest {
    static List<String> arches() {
        return Booted.arches();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void filesFollowLinuxFormats(String arch) {
        Booted b = Booted.boot(arch);
        List<String> files = new ArrayList<>();
        b.init(sys -> {
            sys.mmap(0, 3 * 4096, "rw");
            int child = sys.fork(c -> c.exitThread());
            files.add(String.join(",", sys.list("/proc")));
            files.add(sys.read("/proc/meminfo"));
            files.add(sys.read("/proc/1/status"));
            files.add(sys.read("/proc/self/cmdline"));
            files.add(sys.read("/proc/self/maps"));
            files.add(sys.read("/proc/1/stat"));
            files.add(sys.read("/proc/buddyinfo"));
            files.add(sys.read("/proc/slabinfo"));
            sys.waitpid(child);
        });
        assertEquals("1,2,buddyinfo,cpuinfo,loadavg,meminfo,slabinfo,stat,sys,uptime,vmstat,self", files.get(0));
        String meminfo = files.get(1);
        long reservedKb = b.kernel().frames().stats().reserved() * 4;
        assertTrue(meminfo.startsWith("MemTotal:       " + String.format("%8d", 262144 - reservedKb) + " kB\nMemFree:   "),
                "MemTotal leaves out the reserved ranges:\n" + meminfo);
        for (String field : List.of("MemAvailable:", "AnonPages:", "Slab:", "KernelStack:", "PageTables:")) {
            assertTrue(meminfo.lines().anyMatch(l -> l.startsWith(field) && l.endsWith(" kB")), field + " in\n" + meminfo);
        }
        assertTrue(meminfo.contains("KernelStack:          32 kB"), "two tasks, 16 KiB each:\n" + meminfo);
        String status = files.get(2);
        assertTrue(status.startsWith("Name:\tinit\nUmask:\t0022\nState:\tR (running)\nTgid:\t1\nNgid:\t0\nPid:\t1\nPPid:\t0\n"),
                "the reader is running:\n" + status);
        assertTrue(status.contains("\nThreads:\t1\n") && status.contains("\nNSsid:\t1\n"), status);
        assertTrue(status.contains("VmSize:\t     100 kB"), "text 16 + data 8 + stack 64 + mmap 12 kB:\n" + status);
        assertEquals("init\0", files.get(3));
        List<String> maps = files.get(4).lines().toList();
        assertTrue(maps.get(0).startsWith("00010000-00014000 r-xp 00000000 00:00 0 "), maps.get(0));
        assertEquals(arch.equals("i386") ? 48 : 72, maps.get(0).indexOf(".text"), "Linux pads to column 25 + 6 * sizeof(void *) - 1");
        assertTrue(maps.contains("40000000-40003000 rw-p 00000000 00:00 0"), maps.toString());
        assertTrue(maps.get(maps.size() - 1).endsWith("[stack]"), maps.toString());
        assertTrue(files.get(5).startsWith("1 (init) R 0 1 1 0 -1 0 "), files.get(5));
        assertEquals(52, files.get(5).strip().split(" ").length, "all 52 fields of Linux's stat: " + files.get(5));
        assertTrue(files.get(6).startsWith("Node 0, zone   Normal "), files.get(6));
        assertTrue(files.get(7).startsWith("slabinfo - version: 2.1\n# name "), files.get(7));
        assertTrue(files.get(7).lines().anyMatch(l -> l.startsWith("kmalloc-256 ")), files.get(7));
        b.assertEverythingReturned();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void aReapedPidIsENOENTAndBadPathsGetLinuxsErrnos(String arch) {
        Booted b = Booted.boot(arch);
        List<String> messages = new ArrayList<>();
        b.init(sys -> {
            int child = sys.fork(c -> c.exit(0));
            sys.yieldNow();
            messages.add(sys.read("/proc/" + child + "/status").lines().filter(l -> l.startsWith("State:")).findFirst().orElseThrow());
            sys.waitpid(child);
            for (String path : List.of("/proc/" + child + "/status", "/proc/" + child, "/proc/nope", "/proc/1/nope", "/etc/passwd",
                    "proc/meminfo")) {
                messages.add(assertThrows(SyscallException.class, () -> sys.read(path)).getMessage());
            }
            messages.add(assertThrows(SyscallException.class, () -> sys.read("/proc/1")).errno().name());
            messages.add(assertThrows(SyscallException.class, () -> sys.list("/proc/meminfo")).errno().name());
            messages.add(assertThrows(SyscallException.class, () -> sys.read("/proc/meminfo/x")).errno().name());
            messages.add(assertThrows(SyscallException.class, () -> sys.read(null)).errno().name());
            messages.add(assertThrows(SyscallException.class, () -> sys.read("/proc/" + "x".repeat(256))).errno().name());
            messages.add(assertThrows(SyscallException.class, () -> sys.read("/proc/" + "a/".repeat(2100))).errno().name());
            messages.add(sys.read("/proc//./self/../1/../meminfo///").substring(0, 9));
        });
        assertEquals(List.of("State:\tZ (zombie)",
                "ENOENT: no such file or directory: /proc/2/status",
                "ENOENT: no such file or directory: /proc/2",
                "ENOENT: no such file or directory: /proc/nope",
                "ENOENT: no such file or directory: /proc/1/nope",
                "ENOENT: no such file or directory: /etc/passwd (only procfs is mounted, at /proc)",
                "ENOENT: 'proc/meminfo' is relative; procfs is mounted at /proc",
                "EISDIR", "ENOTDIR", "ENOTDIR", "EFAULT", "ENAMETOOLONG", "ENAMETOOLONG", "MemTotal:"), messages);
        FileStat stat = b.kernel().procfs().stat("/proc/meminfo", 1);
        assertTrue(stat.kind() == FileStat.Kind.FILE && stat.size() > 100);
        assertEquals(FileStat.link("1"), b.kernel().procfs().stat("/proc/self", 1));
        b.assertEverythingReturned();
    }

    /** Path handling is linear: a megabyte of slashes is refused at once, not after stripping them one at a time. */
    @ParameterizedTest
    @MethodSource("arches")
    void hugePathsAreRefusedInLinearTime(String arch) {
        Booted b = Booted.boot(arch);
        String slashes = "/proc/self" + "/".repeat(1 << 20);
        String dots = "/proc/" + "./".repeat(2000) + "meminfo";
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
            SyscallException e = assertThrows(SyscallException.class, () -> b.kernel().procfs().read(slashes, 1));
            assertEquals(Errno.ENAMETOOLONG, e.errno());
            assertTrue(e.getMessage().contains("1048586 characters"), e.getMessage());
            assertTrue(b.kernel().procfs().read(dots, 1).startsWith("MemTotal:"));
        });
        b.kernel().shutdown();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void threadsAndProcessesShareOneIdSpaceAndGroupsAreInherited(String arch) {
        Booted b = Booted.boot(arch);
        List<String> seen = new ArrayList<>();
        b.init(sys -> {
            int child = sys.fork(c -> {
                int tid = c.spawnThread(t -> t.pause());
                seen.add(c.getpid() + " " + c.gettid() + " " + tid);
                c.yieldNow();
                seen.add(String.join(",", c.list("/proc/self/task")));
                seen.add(c.read("/proc/" + tid + "/status").lines().filter(l -> l.startsWith("Tgid:")).findFirst().orElse("none"));
                c.exit(3);
            });
            sys.yieldNow(); // the child runs: its thread takes the next number
            int next = sys.fork(c -> c.exit(0));
            seen.add("next " + next);
            String stat = sys.read("/proc/" + next + "/stat");
            String[] fields = stat.substring(stat.indexOf(')') + 2).split(" ");
            seen.add(fields[2] + " " + fields[3]); // pgrp, session
            sys.waitpid(child);
            sys.waitpid(next);
        });
        assertEquals(List.of("2 2 3", "next 4", "1 1", "2,3", "Tgid:\t2"), seen,
                "the thread took id 3 from the pid space, so the next process is 4; pgrp and session are init's");
        b.assertEverythingReturned();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void linuxSemanticsMemFreeIsTheBuddyListsAdjacentAnonymousMappingsMergeCpuinfoIsPerArch(String arch) {
        Booted b = Booted.boot(arch);
        List<String> files = new ArrayList<>();
        b.init(sys -> {
            long a = sys.mmap(0x5000_0000L, 2 * 4096, "rw");
            sys.mmap(a + 2 * 4096, 4096, "rw");     // adjacent, same rights: one mapping for Linux
            sys.mmap(a + 3 * 4096, 4096, "r");      // adjacent, other rights: its own
            files.add(sys.read("/proc/self/maps"));
            files.add(sys.read("/proc/meminfo"));
            files.add(sys.read("/proc/buddyinfo"));
            files.add(sys.read("/proc/cpuinfo"));
            files.add(sys.read("/proc/self/smaps"));
        });
        assertTrue(files.get(0).contains("50000000-50003000 rw-p 00000000 00:00 0\n50003000-50004000 r--p"), files.get(0));
        long memFree = files.get(1).lines().filter(l -> l.startsWith("MemFree:")).mapToLong(l -> Long.parseLong(l.split("\\s+")[1]))
                .findFirst().orElseThrow();
        String[] blocks = files.get(2).strip().split("\\s+");
        long buddy = 0;
        for (int order = 0; order < blocks.length - 4; order++) {
            buddy += Long.parseLong(blocks[4 + order]) << order;
        }
        assertEquals(memFree, buddy * 4, "MemFree counts exactly the buddy lists' free pages, as Linux's does");
        assertTrue(files.get(3).contains(switch (arch) {
            case "riscv64" -> "isa\t\t: rv64imac\nmmu\t\t: sv39";
            case "i386" -> "model name\t: Deed simulated i386";
            default -> "model name\t: Deed simulated x86_64";
        }), files.get(3));
        assertTrue(files.get(4).contains("50000000-50003000 rw-p 00000000 00:00 0\nSize:                 12 kB\n"), files.get(4));
        b.assertEverythingReturned();
    }

    /** The simulated clock makes times reproducible: the same run twice shows the same /proc, tick for tick. */
    @ParameterizedTest
    @MethodSource("arches")
    void timesComeFromTheSimulatedClockAndRepeat(String arch) {
        List<List<String>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Booted b = Booted.boot(arch);
            List<String> files = new ArrayList<>();
            b.init(sys -> {
                int child = sys.fork(c -> {
                    for (int i = 0; i < 5; i++) {
                        c.yieldNow();
                    }
                });
                sys.yieldNow();
                for (String f : List.of("/proc/stat", "/proc/uptime", "/proc/loadavg", "/proc/self/stat", "/proc/" + child + "/stat")) {
                    files.add(sys.read(f));
                }
                sys.waitpid(child);
            });
            runs.add(files);
            b.assertEverythingReturned();
        }
        assertEquals(runs.get(0), runs.get(1));
        String stat = runs.get(0).get(0);
        assertTrue(stat.contains("\nbtime 1767225600\n") && stat.contains("\nprocesses 2\n"), stat);
        String[] self = runs.get(0).get(3).split(" ");
        assertTrue(Long.parseLong(self[13]) + Long.parseLong(self[14]) > 0, "init's utime + stime: " + runs.get(0).get(3));
    }
}
