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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Page tables and the MMU model (issue targets, Sv39: translate random ≤ 12 ns, sequential ≤ 4 ns;
 * map 4 KiB with tables present ≤ 6 ns; map needing a new table ≤ 150 ns; unmap+flush of one page
 * ≤ 10 ns), on Sv39 and i386, against {@link #floor}: three dependent random loads in a
 * {@code long[]} as large as the page tables.
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
        final List<Frame<Tracked>> spare = new ArrayList<>(BATCH);
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
            spare.clear();
            for (int i = 0; i < BATCH; i++) {
                spare.add(frames.alloc(Usage.USER));
            }
        }

        @TearDown(Level.Invocation)
        public void unmapAll() {
            if (table.query(VirtAddr.of(region + 4096)).isPresent()) {
                table.unmap(VirtAddr.of(region + 4096), BATCH * 4096L).flush();
            }
            for (int i = 0; i < BATCH; i++) {
                if (table.query(VirtAddr.of(newTables + i * f.pageSize(1))).isPresent()) {
                    table.unmap(VirtAddr.of(newTables + i * f.pageSize(1)), 4096).flush();
                }
            }
            spare.forEach(frame -> {
                if (!frame.isClosed()) {
                    frame.close();
                }
            });
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
            m.table.map(VirtAddr.of(m.region + (i + 1) * 4096L), m.spare.get(i), PageProperty.kernelData());
        }
        return BATCH;
    }

    /** One 4 KiB map that needs a new last-level table (one per 2 MiB / 4 MiB region). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int map4KNewTable(Mapping m) {
        long step = m.f.pageSize(1);
        for (int i = 0; i < BATCH; i++) {
            m.table.map(VirtAddr.of(m.newTables + i * step), m.spare.get(i), PageProperty.kernelData());
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
