package dev.deed.bench;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Frame;
import dev.deed.frame.Machine;
import dev.deed.frame.Segment;
import dev.deed.frame.Tracked;
import dev.deed.frame.Usage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The frame allocator (issue targets: steady alloc+close ≤ 10 ns, empty-pool split/merge ≤ 60 ns,
 * random-order close of 100k frames ≤ 25 ns each, contiguous 8/64/512 ≤ 50 ns) against {@link #floor},
 * the cheapest possible allocator: a LIFO push and pop on a {@code long[]}.
 * Boot of a 64 GiB machine is measured in {@link #boot64GiB}; run it with {@code -prof gc} to read
 * the bytes allocated per boot (gc.alloc.rate.norm), i.e. the heap cost per simulated frame.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FrameBench {
    private FrameAllocator frames;
    private final long[] stack = new long[1024];
    private int top = 512;

    @Setup(Level.Trial)
    public void boot() {
        frames = FrameAllocator.boot(Machine.defaultFor("riscv64", 4L << 30));
    }

    @Benchmark
    public long floor() {
        stack[top++] = top;
        return stack[--top];
    }

    @Benchmark
    public long allocClose() {
        try (Frame<Tracked> f = frames.alloc(Usage.USER)) {
            return f.isTracked() ? 1 : 0;
        }
    }

    /** Split from a 1 GiB unit down to one frame and merge all the way back (the magazine drained each time). */
    @Benchmark
    public long allocCloseEmptyPool() {
        long n;
        try (Segment<Tracked> one = frames.allocContiguous(Usage.USER, 1)) {
            n = one.frames();
        }
        frames.drainCpuCaches();
        return n;
    }

    /** The size of a contiguous run, in frames. */
    @State(Scope.Thread)
    public static class Run {
        @Param({"8", "64", "512"})
        public int frames;
    }

    @Benchmark
    public long allocCloseContiguous(Run run) {
        try (Segment<Tracked> segment = frames.allocContiguous(Usage.USER, run.frames)) {
            return segment.frames();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public FrameAllocator boot64GiB() {
        return FrameAllocator.boot(Machine.defaultFor("riscv64", 64L << 30));
    }

    /** Closing 100k frames in a random order (the state is rebuilt before every invocation). */
    @State(Scope.Thread)
    public static class Scattered {
        static final int COUNT = 100_000;
        final FrameAllocator frames = FrameAllocator.boot(Machine.defaultFor("riscv64", 1L << 30));
        final List<Frame<Tracked>> live = new ArrayList<>(COUNT);
        final Random random = new Random(42);

        @Setup(Level.Invocation)
        public void fill() {
            for (int i = 0; i < COUNT; i++) {
                live.add(frames.alloc(Usage.USER));
            }
            Collections.shuffle(live, random);
        }
    }

    @Benchmark
    @OperationsPerInvocation(Scattered.COUNT)
    public int closeRandomOrder(Scattered s) {
        for (Frame<Tracked> f : s.live) {
            f.close();
        }
        int n = s.live.size();
        s.live.clear();
        return n;
    }
}
