package dev.deed.bench;

import dev.deed.kernel.boot.Kernel;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.process.Program;
import dev.deed.process.Rights;
import dev.deed.process.WaitResult;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * fork + exit + waitpid of a process with 16 and with 1,024 resident (touched) pages. Fork shares
 * every page copy-on-write, so the cost is the page-table work, not the data: the targets
 * are ≤ 1/100 of Linux's fork + _exit + waitpid for 16 pages and the 1,024-page case ≤ 4× the
 * 16-page one (Linux's figure comes from {@code bench/linux/forkwait.c}, run in the same window).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = "-Djdk.virtualThreadScheduler.parallelism=1")
public class ProcessBench {
    static final int FORKS = 1000;
    static final long PAGE = 4096;
    /** .text and the stack; .data makes up the rest of {@link System#pages}. */
    static final long TEXT = 4 * PAGE;
    static final long STACK = 8 * PAGE;

    @State(Scope.Thread)
    public static class System {
        @Param({"riscv64", "i386"})
        public String arch;

        @Param({"1", "2"})
        public int cpus;

        /** Resident pages of the forking process: .text, .data and stack, all loaded at exec. */
        @Param({"16", "1024"})
        public int pages;

        Kernel kernel;
        Program forker;

        @Setup(Level.Trial)
        public void boot() {
            kernel = Kernel.boot(KernelConfig.of(arch, 256L << 20).withCpus(cpus));
            long data = pages * PAGE - TEXT - STACK;
            forker = new Program("forker", List.of(new Program.Segment(".text", 0x1_0000, TEXT, Rights.RX),
                    new Program.Segment(".data", 0x10_0000, data, Rights.RW)), sys -> {
                        for (int i = 0; i < FORKS; i++) {
                            int child = sys.fork(s -> s.exit(0));
                            WaitResult r = sys.waitpid(child);
                            if (r.pid() != child) {
                                throw new IllegalStateException("waitpid(" + child + ") returned " + r);
                            }
                        }
                        sys.exit(0);
                    }, STACK, List.of("forker"));
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            kernel.shutdown();
        }
    }

    /** Init forks a child sharing its pages, the child exits, init waits for it; per fork. */
    @Benchmark
    @OperationsPerInvocation(FORKS)
    public long forkExitWait(System system) {
        long switches = system.kernel.run(system.forker).switches();
        system.kernel.processes().reapInit();
        return switches;
    }
}
