package dev.deed.kernel.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.process.ProcessState;
import dev.deed.process.Program;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** B1, B2 and B4 at whole-system level, on both architectures. */
class SystemRegressionTest {
    static List<String> arches() {
        return Booted.arches();
    }

    /**
     * B4 (asterinas#1491): every process touched by fork or `ls /proc` stayed alive. 1 000 fork / exit /
     * waitpid cycles with `ls /proc` and a read of every /proc/PID file in between: processes, tasks,
     * pids, heap blocks and frames come back exactly to the baseline.
     */
    @ParameterizedTest
    @MethodSource("arches")
    void aThousandForkExitWaitCyclesWithProcReadsLeaveNothingBehind(String arch) {
        Booted b = Booted.boot(arch);
        int[] reads = new int[1];
        b.init(sys -> {
            for (int i = 0; i < 1000; i++) {
                int status = i % 7;
                int child = sys.fork(c -> {
                    c.mmap(0, 2 * 4096, "rw");
                    c.exit(status);
                });
                for (String entry : sys.list("/proc")) {
                    if (entry.chars().allMatch(Character::isDigit)) {
                        for (String file : sys.list("/proc/" + entry)) {
                            String path = "/proc/" + entry + "/" + file;
                            if (sys.stat(path).kind() == dev.deed.process.FileStat.Kind.FILE) {
                                sys.read(path);
                                reads[0]++;
                            }
                        }
                    }
                }
                if (sys.waitpid(child).status() != status) {
                    throw new AssertionError("status of cycle " + i);
                }
            }
        });
        assertTrue(reads[0] >= 1000 * 4, "read every /proc/PID file of every live process: " + reads[0]);
        b.assertEverythingReturned();
    }

    /**
     * B1 (tilck#228) at system level: with the debug command line set and poisoning on, exit and reap
     * free the buffer, then the address space, then the struct; no freed memory is read (the heap's
     * poison stays intact), and the reaped struct's memory really is poisoned.
     */
    @ParameterizedTest
    @MethodSource("arches")
    void reapingFreesTheCommandLineBeforeTheStructAndReadsNoPoison(String arch) {
        Booted b = Booted.boot(arch);
        List<String> lines = new ArrayList<>();
        b.init(sys -> {
            for (int i = 0; i < 50; i++) {
                int child = sys.fork(c -> c.exec(Program.of("fs_perf1", e -> e.exit(0), "fs_perf1", "--files", "1000")));
                sys.yieldNow();
                lines.add(b.kernel().processes().info(child).orElseThrow().debugCmdline());
                sys.waitpid(child);
                assertNull(b.kernel().heap().verify(), "every free block still holds intact poison");
            }
        });
        assertTrue(lines.stream().allMatch(l -> l.equals("fs_perf1 --files 1000")), lines.toString());
        b.assertEverythingReturned();
    }

    /**
     * B2 (rCore #144) at system level: the main thread exits while other threads are alive, and when
     * it is alone; the parent reaps; every kernel stack comes back.
     */
    @ParameterizedTest
    @MethodSource("arches")
    void mainThreadsExitWithAndWithoutSiblingsAndTheirStacksComeBack(String arch) {
        Booted b = Booted.boot(arch);
        List<Integer> statuses = new ArrayList<>();
        b.init(sys -> {
            int crowded = sys.fork(c -> {
                for (int t = 0; t < 3; t++) {
                    c.spawnThread(th -> {
                        th.yieldNow();
                        th.yieldNow();
                    });
                }
                c.exitThread(); // main first: its stack must survive until it has switched away
            });
            int alone = sys.fork(c -> c.exit(4));
            statuses.add(sys.waitpid(crowded).status());
            statuses.add(sys.waitpid(alone).status());
        });
        assertEquals(List.of(0, 4), statuses);
        assertEquals(ProcessState.ZOMBIE, b.kernel().processes().info(1).orElseThrow().state(), "init is not reaped yet");
        assertEquals(0, b.kernel().scheduler().census().stacks(), "yet even init's stack went after its last switch");
        b.assertEverythingReturned();
        assertEquals(0, b.kernel().scheduler().census().stacks());
    }
}
