package dev.deed.bench;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.Usage;
import dev.deed.frame.mem.PhysMemory;
import dev.deed.heap.Block;
import dev.deed.heap.HeapConfig;
import dev.deed.heap.KernelHeap;
import dev.deed.heap.PoisonPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
 * The kernel heap (issue targets, poisoning off: kmalloc+free of 16–1024 bytes ≤ 15 ns; the random-size
 * workload ≤ 40 ns; with 10 000 free holes within 1.5× of the fresh heap), against {@link #floor}.
 * Every benchmark also runs with poisoning on every heap, the default in tests and the CLI; the
 * poisoning target is ≤ 1.5× the same benchmark with poisoning off. {@link #poisonCheckOnReuse}
 * measures the check on reuse alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeapBench {
    static final int RANDOM_COUNT = 1000;
    static final int HOLES = 10_000;

    @State(Scope.Thread)
    public static class Heap {
        @Param({"OFF", "ALL_HEAPS"})
        public PoisonPolicy poison;

        KernelHeap heap;
        /** Sizes as Tilck's kmalloc perf test uses them: 1000 fixed random sizes (here uniform in 1…4096, seed 1). */
        final long[] randomSizes = new SplittableRandom(1).longs(RANDOM_COUNT, 1, 4097).toArray();
        final Block[] batch = new Block[RANDOM_COUNT];
        final List<Block> holes = new ArrayList<>();

        @Setup(Level.Trial)
        public void boot() {
            FrameAllocator frames = FrameAllocator.boot(Machine.defaultFor("riscv64", 1L << 30));
            heap = KernelHeap.create(frames, HeapConfig.forMachine(frames.machine()).withPoison(poison));
        }
    }

    /** A heap with 10 000 free holes spread over its slabs: 20 000 blocks allocated, every other freed. */
    @State(Scope.Thread)
    public static class Holes extends Heap {
        @Setup(Level.Trial)
        public void punch() {
            List<Block> all = new ArrayList<>();
            for (int i = 0; i < 2 * HOLES; i++) {
                all.add(heap.kmalloc(64));
            }
            for (int i = 0; i < all.size(); i++) {
                if (i % 2 == 0) {
                    all.get(i).close();
                } else {
                    holes.add(all.get(i));
                }
            }
        }
    }

    @State(Scope.Thread)
    public static class Sizes {
        @Param({"16", "64", "256", "1024"})
        public int size;
    }

    /**
     * A freed small-heap block as a reused one finds it: the pattern in a page with private backing
     * (a live neighbour shares the page), {@code size} bytes ending at the page's end.
     */
    @State(Scope.Thread)
    public static class Reuse {
        @Param({"16", "64", "256", "1024", "2048"})
        public int size;

        PhysMemory memory;
        long address;

        @Setup(Level.Trial)
        public void free() {
            FrameAllocator frames = FrameAllocator.boot(Machine.defaultFor("riscv64", 64L << 20));
            long page = frames.raw().intoRaw(frames.alloc(Usage.HEAP)).value();
            memory = frames.memory();
            memory.writeU64(page, 1); // the live neighbour
            address = page + 4096 - size;
            memory.fillPattern32(address, size, HeapConfig.TILCK_POISON);
        }
    }

    @State(Scope.Thread)
    public static class Floor {
        final long[] stack = new long[1024];
        int top = 512;
    }

    @Benchmark
    public long floor(Floor f) {
        f.stack[f.top++] = f.top;
        return f.stack[--f.top];
    }

    @Benchmark
    public long kmallocFree(Heap h, Sizes s) {
        try (Block b = h.heap.kmalloc(s.size)) {
            return b.size();
        }
    }

    /**
     * As {@link #kmallocFree}, but the block is written before it is freed, as a real user does: its
     * slab page then has private backing, so the poison fill and the check on reuse touch every byte.
     */
    @Benchmark
    public long kmallocWriteFree(Heap h, Sizes s) {
        try (Block b = h.heap.kmalloc(s.size)) {
            b.writeU64(0, s.size);
            return b.size();
        }
    }

    /** Tilck's workload shape: kmalloc all 1000 random sizes, then free them all; per kmalloc+free. */
    @Benchmark
    @OperationsPerInvocation(RANDOM_COUNT)
    public long randomSizes(Heap h) {
        long total = 0;
        for (int i = 0; i < RANDOM_COUNT; i++) {
            h.batch[i] = h.heap.kmalloc(h.randomSizes[i]);
        }
        for (int i = 0; i < RANDOM_COUNT; i++) {
            total += h.batch[i].size();
            h.batch[i].close();
        }
        return total;
    }

    /** The check a reused block pays alone: its bytes against the pattern (-1: intact). */
    @Benchmark
    public long poisonCheckOnReuse(Reuse r) {
        return r.memory.mismatchPattern32(r.address, r.size, HeapConfig.TILCK_POISON);
    }

    @Benchmark
    public long kmallocFreeWithHoles(Holes h) {
        try (Block b = h.heap.kmalloc(64)) {
            return b.size();
        }
    }

    @Benchmark
    public long kmallocFreeFresh(Heap h) {
        try (Block b = h.heap.kmalloc(64)) {
            return b.size();
        }
    }
}
