package dev.deed.bench;

import dev.deed.frame.Frame;
import dev.deed.frame.Tracked;
import dev.deed.frame.Usage;
import dev.deed.frame.mem.PhysMemory;
import dev.deed.kernel.boot.Kernel;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.process.Program;
import dev.deed.process.Rights;
import dev.deed.process.WaitResult;
import java.util.ArrayList;
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
 * Processes (issue target: fork + exit + waitpid of a process with 16 mapped pages ≤ 2 µs), against
 * {@link #floor}: copying 16 pages between frames, the data movement an eager
 * fork cannot avoid.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = "-Djdk.virtualThreadScheduler.parallelism=1")
public class ProcessBench {
    static final int FORKS = 1000;
    static final long PAGE = 4096;
    static final int PAGES = 16;
    /** 4 + 4 + 8 = 16 mapped pages, all eagerly backed, so fork copies all of them. */
    static final long TEXT = 4 * PAGE;
    static final long DATA = 4 * PAGE;
    static final long STACK = 8 * PAGE;

    @State(Scope.Thread)
    public static class System {
        @Param({"riscv64", "i386"})
        public String arch;

        @Param({"1", "2"})
        public int cpus;

        Kernel kernel;
        Program forker;
        final List<Frame<Tracked>> from = new ArrayList<>();
        final List<Frame<Tracked>> to = new ArrayList<>();

        @Setup(Level.Trial)
        public void boot() {
            kernel = Kernel.boot(KernelConfig.of(arch, 256L << 20).withCpus(cpus));
            forker = new Program("forker", List.of(new Program.Segment(".text", 0x1_0000, TEXT, Rights.RX),
                    new Program.Segment(".data", 0x2_0000, DATA, Rights.RW)), sys -> {
                        for (int i = 0; i < FORKS; i++) {
                            int child = sys.fork(s -> s.exit(0));
                            WaitResult r = sys.waitpid(child);
                            if (r.pid() != child) {
                                throw new IllegalStateException("waitpid(" + child + ") returned " + r);
                            }
                        }
                        sys.exit(0);
                    }, STACK, List.of("forker"));
            for (int i = 0; i < PAGES; i++) {
                from.add(kernel.frames().alloc(Usage.USER));
                to.add(kernel.frames().alloc(Usage.USER));
            }
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            from.forEach(Frame::close);
            to.forEach(Frame::close);
            kernel.shutdown();
        }
    }

    @Benchmark
    @OperationsPerInvocation(FORKS)
    public long floor(System system) {
        PhysMemory memory = system.kernel.frames().memory();
        for (int i = 0; i < FORKS; i++) {
            for (int p = 0; p < PAGES; p++) {
                memory.copy(system.from.get(p).addr().value(), system.to.get(p).addr().value(), PAGE);
            }
        }
        return memory.readU64(system.to.get(0).addr().value());
    }

    /** Init forks a child with 16 mapped pages, the child exits, init waits for it; per fork. */
    @Benchmark
    @OperationsPerInvocation(FORKS)
    public long forkExitWait(System system) {
        long switches = system.kernel.run(system.forker).switches();
        system.kernel.processes().reapInit();
        return switches;
    }
}
