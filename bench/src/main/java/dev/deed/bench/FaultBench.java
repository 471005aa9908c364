package dev.deed.bench;

import dev.deed.frame.Frame;
import dev.deed.frame.Tracked;
import dev.deed.frame.Usage;
import dev.deed.frame.mem.PhysMemory;
import dev.deed.kernel.boot.Kernel;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.process.Program;
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
 * Page faults, per page (issue target: a demand-zero fault and a copy-on-write break each ≤ 25× its
 * floor): {@link #demandZero} — a store to a fresh page of a lazy mmap: trap, decode, allocate, zero,
 * map, retry — against {@link #zeroFloor}, zeroing 4 KiB; {@link #cowBreak} — a child's first store
 * to a page it shares with its parent: trap, decode, allocate, copy, replace, flush, retry — against
 * {@link #copyFloor}, copying 4 KiB. Each run maps, touches and unmaps (or forks, writes and exits)
 * {@link #PAGES} pages, so the per-page figures carry that bookkeeping too.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = "-Djdk.virtualThreadScheduler.parallelism=1")
public class FaultBench {
    static final int PAGES = 256;
    static final int ROUNDS = 8;
    static final long PAGE = 4096;

    @State(Scope.Thread)
    public static class System {
        @Param({"riscv64", "i386"})
        public String arch;

        Kernel kernel;
        Program demandZero;
        Program cowBreak;
        Frame<Tracked> from;
        Frame<Tracked> to;

        @Setup(Level.Trial)
        public void boot() {
            kernel = Kernel.boot(KernelConfig.of(arch, 256L << 20));
            demandZero = Program.of("toucher", sys -> {
                for (int r = 0; r < ROUNDS; r++) {
                    long buf = sys.mmap(0, PAGES * PAGE, "rw");
                    for (int i = 0; i < PAGES; i++) {
                        sys.store64(buf + i * PAGE, i);
                    }
                    sys.munmap(buf, PAGES * PAGE);
                }
                sys.exit(0);
            });
            cowBreak = Program.of("sharer", sys -> {
                long buf = sys.mmap(0, PAGES * PAGE, "rw", true);
                for (int r = 0; r < ROUNDS; r++) {
                    int child = sys.fork(c -> {
                        for (int i = 0; i < PAGES; i++) {
                            c.store64(buf + i * PAGE, i); // the parent still maps it: a copy
                        }
                        c.exit(0);
                    });
                    sys.waitpid(child);
                }
                sys.exit(0);
            });
            from = kernel.frames().alloc(Usage.USER);
            to = kernel.frames().alloc(Usage.USER);
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            from.close();
            to.close();
            kernel.shutdown();
        }
    }

    @Benchmark
    @OperationsPerInvocation(PAGES * ROUNDS)
    public long demandZero(System system) {
        long switches = system.kernel.run(system.demandZero).switches();
        system.kernel.processes().reapInit();
        return switches;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES * ROUNDS)
    public long zeroFloor(System system) {
        PhysMemory memory = system.kernel.frames().memory();
        long at = system.to.addr().value();
        for (int i = 0; i < PAGES * ROUNDS; i++) {
            memory.zero(at, PAGE);
            memory.writeU64(at, i);
        }
        return memory.readU64(at);
    }

    @Benchmark
    @OperationsPerInvocation(PAGES * ROUNDS)
    public long cowBreak(System system) {
        long switches = system.kernel.run(system.cowBreak).switches();
        system.kernel.processes().reapInit();
        return switches;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES * ROUNDS)
    public long copyFloor(System system) {
        PhysMemory memory = system.kernel.frames().memory();
        long from = system.from.addr().value();
        long at = system.to.addr().value();
        for (int i = 0; i < PAGES * ROUNDS; i++) {
            memory.copy(from, at, PAGE);
            memory.writeU64(at, i);
        }
        return memory.readU64(at);
    }
}
