package dev.deed.bench;

import dev.deed.frame.Frame;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.Tracked;
import dev.deed.frame.Usage;
import dev.deed.paging.Cpus;
import dev.deed.paging.Access;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.Mmu;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.PagingFormats;
import dev.deed.paging.Privilege;
import dev.deed.paging.VirtAddr;
import dev.deed.paging.spi.PagingFormat;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Page tables and the MMU model in every paging format, against {@link #floor}: three dependent
 * random loads in a {@code long[]} as large as the page tables, measured in the same run. Targets, as
 * ratios to the floor: translate random ≤ 5×, sequential ≤ 1.5×, map with tables present ≤ 2.5×, map
 * needing a new table ≤ 25×, unmap + flush of one page on one CPU ≤ 4×; no allocation in the
 * operations (the invocation's setup allocates the frame handles it maps, which {@code -prof gc}
 * counts too: see {@link #frameHandles}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PagingBench {
    static final int PAGES = 16_384;   // 64 MiB of 4 KiB pages
    static final int BATCH = 256;

    @State(Scope.Thread)
    public static class Tables {
        @Param({"sv39", "sv48", "i386", "x86_64"})
        public String format;

        PagingFormat f;
        FrameAllocator frames;
        PageTable<KernelSpace> table;
        Mmu mmu;
        long root;
        long base;
        long[] randomVas;
        long[] chase;
        int cursor;
        long sequential;

        @Setup(Level.Trial)
        public void build() {
            f = PagingFormats.named(format);
            frames = FrameAllocator.boot(Machine.defaultFor(f.arch(), 512L << 20));
            table = PageTable.kernel(f, frames);
            mmu = Cpus.of(frames, f).mmu(0);
            base = format.equals("i386") ? 0x4000_0000L : 0xFFFF_FFC0_0000_0000L;
            for (int i = 0; i < PAGES; i++) {
                table.map(VirtAddr.of(base + i * 4096L), frames.alloc(Usage.USER), PageProperty.kernelData());
            }
            root = table.rootRegister();
            SplittableRandom random = new SplittableRandom(7);
            randomVas = new long[1 << 16];
            for (int i = 0; i < randomVas.length; i++) {
                randomVas[i] = base + (random.nextLong() & ((PAGES * 4096L) - 1) & -8L);
            }
            chase = new long[table.nodeCount() * f.entriesPerTable()];
            for (int i = 0; i < chase.length; i++) {
                chase[i] = random.nextInt(chase.length);
            }
        }
    }

    /**
     * Tables in which a last-level node already exists (one page kept mapped in it), frames ready to
     * map, and — outside the measurement — the pages the previous invocation mapped taken away again.
     */
    @State(Scope.Thread)
    public static class Mapping extends Tables {
        /** The frames the next invocation maps, one per operation (an array: the measured loop reads one reference per map). */
        @SuppressWarnings("unchecked") // an array of a generic handle type; only Frame<Tracked> goes in
        final Frame<Tracked>[] spare = (Frame<Tracked>[]) new Frame<?>[BATCH];
        long region;
        long newTables;

        @Override
        @Setup(Level.Trial)
        public void build() { // JMH does not order setups across a class and its superclass: chain them
            super.build();
            region = base + (1L << 30) - (f.pageSize(1) * 2);
            newTables = region + 2 * f.pageSize(1);  // BATCH regions, each needing its own last-level table
            table.map(VirtAddr.of(region), frames.alloc(Usage.USER), PageProperty.kernelData());
            // keeps the upper-level table of the new-table regions alive, so each map needs exactly one new node
            table.map(VirtAddr.of(newTables + BATCH * f.pageSize(1)), frames.alloc(Usage.USER), PageProperty.kernelData());
        }

        @Setup(Level.Invocation)
        public void frames() {
            for (int i = 0; i < BATCH; i++) {
                spare[i] = frames.alloc(Usage.USER);
            }
        }

        /** Outside the measurement: one unmap of what the invocation mapped (no query per page), and the unused frames back. */
        @TearDown(Level.Invocation)
        public void unmapAll() {
            if (spare[0].isClosed()) {
                unmapMapped();
            }
            for (Frame<Tracked> frame : spare) {
                if (!frame.isClosed()) {
                    frame.close();
                }
            }
        }

        void unmapMapped() {
            table.unmap(VirtAddr.of(region + 4096), BATCH * 4096L).flush();
        }
    }

    /** As {@link Mapping}, for the benchmark that maps one page into each of {@link #BATCH} regions without a table. */
    @State(Scope.Thread)
    public static class NewTables extends Mapping {
        @Override
        void unmapMapped() {
            table.unmap(VirtAddr.of(newTables), BATCH * f.pageSize(1)).flush(); // every region's table goes too
        }
    }

    /** Pages mapped in one last-level table before each invocation, to be unmapped. */
    @State(Scope.Thread)
    public static class Mapped extends Mapping {
        @Setup(Level.Invocation)
        public void mapBatch() {
            for (int i = 0; i < BATCH; i++) {
                table.map(VirtAddr.of(region + (i + 1) * 4096L), frames.alloc(Usage.USER), PageProperty.kernelData());
            }
        }
    }

    @Benchmark
    public long floor(Tables t) {
        long[] c = t.chase;
        int i = t.cursor;
        i = (int) c[i];
        i = (int) c[i];
        i = (int) c[i];
        t.cursor = i;
        return i;
    }

    /**
     * What the map and unmap benchmarks' per-invocation setup allocates per operation, for reading
     * their {@code -prof gc} figures: one frame handle.
     */
    @Benchmark
    public void frameHandles(Tables t, org.openjdk.jmh.infra.Blackhole hole) {
        try (Frame<Tracked> frame = t.frames.alloc(Usage.USER)) {
            hole.consume(frame);
        }
    }

    /** Random addresses over 64 MiB: almost every translation misses the TLB and walks. */
    @Benchmark
    public long translateRandom(Tables t) {
        long va = t.randomVas[t.cursor++ & (t.randomVas.length - 1)];
        return t.mmu.translate(t.root, VirtAddr.of(va), Access.READ, Privilege.SUPERVISOR);
    }

    /** Consecutive 8-byte loads: the TLB hits 511 times in 512. */
    @Benchmark
    public long translateSequential(Tables t) {
        long va = t.base + (t.sequential & ((PAGES * 4096L) - 1));
        t.sequential += 8;
        return t.mmu.translate(t.root, VirtAddr.of(va), Access.READ, Privilege.SUPERVISOR);
    }

    /** One 4 KiB map into an existing last-level table. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int map4KTablesPresent(Mapping m) {
        for (int i = 0; i < BATCH; i++) {
            m.table.map(VirtAddr.of(m.region + (i + 1) * 4096L), m.spare[i], PageProperty.kernelData());
        }
        return BATCH;
    }

    /** One 4 KiB map that needs a new last-level table (one per 2 MiB / 4 MiB region). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int map4KNewTable(NewTables m) {
        long step = m.f.pageSize(1);
        for (int i = 0; i < BATCH; i++) {
            m.table.map(VirtAddr.of(m.newTables + i * step), m.spare[i], PageProperty.kernelData());
        }
        return BATCH;
    }

    /** One 4 KiB unmap and its flush (TLB invalidation, then the frame's release). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int unmapFlush4K(Mapped m) {
        for (int i = 0; i < BATCH; i++) {
            m.table.unmap(VirtAddr.of(m.region + (i + 1) * 4096L), 4096).flush();
        }
        return BATCH;
    }
}
