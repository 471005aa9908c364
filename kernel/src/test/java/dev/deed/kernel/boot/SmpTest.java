package dev.deed.kernel.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.process.Sys;
import dev.deed.task.Census;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole kernel on 2 and 4 CPUs, over many seeds (so many interleavings): fork, exit and waitpid
 * racing across CPUs never lose a wakeup, threads and processes migrate between CPUs, and live
 * tasks, stacks and frames return to the baseline; the same seed gives the same run.
 */
class SmpTest {
    static Stream<Arguments> machines() {
        return Stream.of("riscv64", "i386").flatMap(arch -> Stream.of(2, 4).map(cpus -> Arguments.of(arch, cpus)));
    }

    @ParameterizedTest(name = "{0} on {1} CPUs")
    @MethodSource("machines")
    void forkExitWaitAcrossCpusLosesNoWakeupAndEverythingReturns(String arch, int cpus) {
        TreeSet<Integer> cpusSeen = new TreeSet<>();
        for (long seed = 1; seed <= 12; seed++) {
            Booted b = Booted.boot(KernelConfig.of(arch, 64L << 20).withCpus(cpus).withSeed(seed));
            b.init(sys -> {
                for (int round = 0; round < 20; round++) {
                    List<Integer> children = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        children.add(sys.fork(c -> {
                            int t = c.spawnThread(th -> {
                                long buf = th.mmap(0, 4096, "rw");
                                th.store64(buf, th.gettid());
                                cpusSeen.add(th.cpu());
                            });
                            c.yieldNow();
                            cpusSeen.add(c.cpu());
                            c.exit(t % 100);
                        }));
                    }
                    for (int child : children) {
                        sys.waitpid(child); // the child may exit on another CPU at any step of this call
                    }
                }
            });
            assertEquals(new Census(0, 0, 0, 0, cpus), b.kernel().scheduler().census(),
                    "seed " + seed + ": every task released, init's too; each CPU's slot holds only its idle task");
            b.assertEverythingReturned();
        }
        assertEquals(cpus, cpusSeen.size(), "work ran on every CPU: " + cpusSeen);
    }

    @ParameterizedTest(name = "{0} on {1} CPUs")
    @MethodSource("machines")
    void theSameSeedGivesTheSameRun(String arch, int cpus) {
        List<String> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Booted b = Booted.boot(KernelConfig.of(arch, 64L << 20).withCpus(cpus).withSeed(5));
            StringBuilder trace = new StringBuilder();
            long fingerprint = b.init(sys -> {
                for (int i = 0; i < 6; i++) {
                    int child = sys.fork(c -> trace(c, trace));
                    trace(sys, trace);
                    sys.waitpid(child);
                }
            }).fingerprint();
            runs.add(trace + " " + fingerprint + " " + b.kernel().procfs().read("/proc/stat", 1));
            b.assertEverythingReturned();
        }
        assertEquals(runs.get(0), runs.get(1));
        assertTrue(runs.get(0).contains("cpu" + (cpus - 1) + " "), runs.get(0));
    }

    private static void trace(Sys sys, StringBuilder trace) {
        trace.append(sys.getpid()).append('@').append(sys.cpu()).append(' ');
    }
}
