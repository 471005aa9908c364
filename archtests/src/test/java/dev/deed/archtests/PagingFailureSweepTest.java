package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.deed.frame.AllocatorStats;
import dev.deed.frame.Frame;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.Segment;
import dev.deed.frame.Tracked;
import dev.deed.frame.Untracked;
import dev.deed.frame.Usage;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.Mapping;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.PendingFlush;
import dev.deed.paging.VirtAddr;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every page-table operation that allocates, run with its k-th allocation failing for k = 1, 2, …
 * until it succeeds: each refusal leaves the allocator (caches drained), the mappings and the node
 * count exactly as they were. The kernel table's unmap and protect that cut superpages need nodes
 * for the splits; those are reserved before anything changes.
 */
class PagingFailureSweepTest {
    static List<String> formats() {
        return Arch.names();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void unmapAndProtectThatSplitSuperpagesAreAllOrNothing(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<KernelSpace> table = PageTable.kernel(arch.format(), frames);
        long big = arch.bigPage();
        long va = arch.kernelVa();
        try (Segment<Untracked> mmio = frames.untrackedRange(arch.mmio(0), 2 * big)) {
            PageTable.mapUntracked(table, VirtAddr.of(va), mmio, PageProperty.kernelData());
        }
        // cuts the first big leaf 12 KiB in and the second 8 KiB before its end: splits down to 4 KiB at both ends
        long start = va + 3 * 4096;
        long size = 2 * big - 5 * 4096;
        int protectRefusals = sweep(frames, table, "protect", () -> table.protect(VirtAddr.of(start), size, PageProperty.parse("r")));
        int unmapRefusals = sweep(frames, table, "unmap", () -> table.unmap(VirtAddr.of(start), size));
        int levelsSplit = arch.format().levels() - 1;
        assertTrue(protectRefusals >= levelsSplit, "protect needed a node per split level: refused " + protectRefusals + " times");
        assertEquals(0, unmapRefusals, "after protect split the ends, unmap needs no node");
        assertEquals(4096, table.query(VirtAddr.of(va)).orElseThrow().size(), "the first pages stay, as 4 KiB leaves");
        assertTrue(table.query(VirtAddr.of(start)).isEmpty());
        table.destroy().flush();
        frames.drainCpuCaches();
        assertEquals(0, frames.stats().used(Usage.PAGE_TABLE));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void mapMapFreshAndMapUntrackedAreAllOrNothing(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<KernelSpace> table = PageTable.kernel(arch.format(), frames);
        long va = arch.kernelVa() + arch.bigPage(); // empty: every map here needs new nodes
        int fresh = sweep(frames, table, "mapFresh", () -> {
            table.mapFresh(VirtAddr.of(va), 64 * 4096, PageProperty.kernelData(), Usage.KERNEL, true);
            return null;
        });
        assertTrue(fresh >= 64, "64 frames and the nodes above them were swept: " + fresh);
        int untracked = sweep(frames, table, "mapUntracked", () -> {
            try (Segment<Untracked> mmio = frames.untrackedRange(arch.mmio(0), arch.superPage() + 4096)) {
                PageTable.mapUntracked(table, VirtAddr.of(va + arch.bigPage()), mmio, PageProperty.kernelData());
            }
            return null;
        });
        assertTrue(untracked >= 1, "mapUntracked needed a node");
        int single = sweep(frames, table, "map", () -> {
            Frame<Tracked> frame = frames.alloc(Usage.KERNEL);
            try {
                table.map(VirtAddr.of(va + 2 * arch.bigPage() + arch.superPage() * 2), frame, PageProperty.kernelData());
            } catch (OutOfFramesException refused) {
                assertFalse(frame.isClosed(), "map never takes a frame it refuses");
                frame.close();
                throw refused;
            }
            return null;
        });
        assertTrue(single >= 1, "map needed a node");
        table.destroy().flush();
    }

    /** Runs {@code op} with allocation k failing, k = 1, 2, …; returns how many attempts were refused. */
    private static int sweep(FrameAllocator frames, PageTable<KernelSpace> table, String what, Supplier<?> op) {
        for (int k = 1; k < 10_000; k++) {
            frames.drainCpuCaches();
            AllocatorStats before = frames.stats();
            List<Mapping> mappings = table.mappings();
            int nodes = table.nodeCount();
            frames.faults().failNth(k, null);
            Object result;
            try {
                result = op.get();
            } catch (OutOfFramesException refused) {
                frames.faults().clear();
                frames.drainCpuCaches();
                assertEquals(before, frames.stats(), what + " refused at allocation " + k + " changed the allocator");
                assertEquals(mappings, table.mappings(), what + " refused at allocation " + k + " changed the mappings");
                assertEquals(nodes, table.nodeCount());
                continue;
            }
            boolean reached = !frames.faults().nthPending();
            frames.faults().clear();
            if (reached) {
                fail(what + " succeeded although its allocation " + k + " was made to fail");
            }
            if (result instanceof PendingFlush pending) {
                pending.flush();
            }
            return k - 1;
        }
        throw new AssertionError(what + " never succeeded");
    }
}
