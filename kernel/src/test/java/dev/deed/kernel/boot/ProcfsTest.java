package dev.deed.kernel.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.procfs.ProcStat;
import dev.deed.procfs.ProcfsException;
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
        assertEquals("1,2,buddyinfo,meminfo,self,slabinfo", files.get(0));
        String meminfo = files.get(1);
        assertTrue(meminfo.startsWith("MemTotal:         262144 kB\nMemFree:   "), meminfo);
        for (String field : List.of("MemAvailable:", "AnonPages:", "Slab:", "KernelStack:", "PageTables:")) {
            assertTrue(meminfo.lines().anyMatch(l -> l.startsWith(field) && l.endsWith(" kB")), field + " in\n" + meminfo);
        }
        assertTrue(meminfo.contains("KernelStack:          32 kB"), "two tasks, 16 KiB each:\n" + meminfo);
        String status = files.get(2);
        assertTrue(status.startsWith("Name:\tinit\nState:\tS (sleeping)\nTgid:\t1\nPid:\t1\nPPid:\t0\nThreads:\t1\n"), status);
        assertTrue(status.contains("VmSize:\t     100 kB"), "text 16 + data 8 + stack 64 + mmap 12 kB:\n" + status);
        assertEquals("init\0", files.get(3));
        List<String> maps = files.get(4).lines().toList();
        assertTrue(maps.get(0).startsWith("00010000-00014000 r-xp 00000000 00:00 0 "), maps.get(0));
        assertEquals(arch.equals("i386") ? 48 : 72, maps.get(0).indexOf(".text"), "Linux pads to column 25 + 6 * sizeof(void *) - 1");
        assertTrue(maps.contains("40000000-40003000 rw-p 00000000 00:00 0"), maps.toString());
        assertTrue(maps.get(maps.size() - 1).endsWith("[stack]"), maps.toString());
        assertTrue(files.get(5).startsWith("1 (init) S 0 1 1 0 -1 0 "), files.get(5));
        assertTrue(files.get(6).startsWith("Node 0, zone   Normal "), files.get(6));
        assertTrue(files.get(7).startsWith("slabinfo - version: 2.1\n# name "), files.get(7));
        assertTrue(files.get(7).lines().anyMatch(l -> l.startsWith("kmalloc-256 ")), files.get(7));
        b.assertEverythingReturned();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void aReapedPidIsNoSuchFileAndBadPathsAreTyped(String arch) {
        Booted b = Booted.boot(arch);
        List<String> messages = new ArrayList<>();
        b.init(sys -> {
            int child = sys.fork(c -> c.exit(0));
            sys.yieldNow();
            messages.add(sys.read("/proc/" + child + "/status").lines().filter(l -> l.startsWith("State:")).findFirst().orElseThrow());
            sys.waitpid(child);
            for (String path : List.of("/proc/" + child + "/status", "/proc/" + child, "/proc/nope", "/proc/1/environ", "/etc/passwd")) {
                ProcfsException e = assertThrows(ProcfsException.class, () -> sys.read(path));
                messages.add(e.kind() + " " + e.getMessage());
            }
            messages.add(assertThrows(ProcfsException.class, () -> sys.read("/proc/1")).kind().name());
            messages.add(assertThrows(ProcfsException.class, () -> sys.list("/proc/meminfo")).kind().name());
        });
        assertEquals(List.of("State:\tZ (zombie)",
                "NO_SUCH_FILE no such file: /proc/2/status (no process 2)",
                "NO_SUCH_FILE no such file: /proc/2 (no process 2)",
                "NO_SUCH_FILE no such file: /proc/nope",
                "NO_SUCH_FILE no such file: /proc/1/environ",
                "NO_SUCH_FILE no such file: /etc/passwd (procfs is mounted at /proc)",
                "IS_A_DIRECTORY", "NOT_A_DIRECTORY"), messages);
        ProcStat stat = b.kernel().procfs().stat("/proc/meminfo", 1);
        assertTrue(!stat.directory() && stat.size() > 100);
        b.assertEverythingReturned();
    }
}
