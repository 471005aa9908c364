package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Segment;
import dev.deed.frame.Untracked;
import dev.deed.frame.Usage;
import dev.deed.paging.Cursor;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.Mapping;
import dev.deed.paging.MappingException;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.VirtAddr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CursorTest {
    static java.util.List<String> formats() {
        return Arch.names();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void aCursorWalksItsRangeAndNothingElse(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<KernelSpace> table = PageTable.kernel(arch.format(), frames);
        long sp = arch.superPage();
        long base = arch.kernelVa();
        Cursor<KernelSpace> c = table.cursor(VirtAddr.of(base), 2 * sp);
        c.map(frames.alloc(Usage.USER), PageProperty.kernelData());
        c.map(frames.alloc(Usage.USER), PageProperty.kernelData());
        assertEquals(base + 8192, c.virtAddr().value());
        c.jump(VirtAddr.of(base + sp));
        try (Segment<Untracked> mmio = frames.untrackedRange(arch.mmio(0), sp)) {
            Cursor.mapUntracked(c, mmio, PageProperty.parse("rwg"));
        }
        assertEquals(0, c.remaining());
        var extra = frames.alloc(Usage.USER);
        assertThrows(MappingException.class, () -> c.map(extra, PageProperty.kernelData()), "beyond the range");
        extra.close(); // a refused map leaves the reference with the caller
        c.jump(VirtAddr.of(base));
        Mapping first = c.query().orElseThrow();
        assertEquals(4096, first.size());
        c.jump(VirtAddr.of(base + sp));
        assertEquals(sp, c.query().orElseThrow().size(), "the superpage as one leaf");
        c.jump(VirtAddr.of(base));
        c.unmap(8192).flush();
        assertTrue(table.query(VirtAddr.of(base)).isEmpty());
        assertThrows(MappingException.class, () -> c.jump(VirtAddr.of(base + 2 * sp)));
        assertEquals(0, frames.stats().used(Usage.USER));
        table.destroy().flush();
    }

    /**
     * One cursor walks a range that crosses last-level (and, on the kernel half, upper-level) node
     * boundaries: every page it maps is where a fresh walk finds it, and unmapping all of it gives
     * every node back.
     */
    @ParameterizedTest
    @MethodSource("formats")
    void aCursorCrossesNodeBoundariesWithoutLosingItsPlace(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<KernelSpace> table = PageTable.kernel(arch.format(), frames);
        long sp = arch.superPage();
        long base = arch.kernelVa() + arch.bigPage() - sp - 3 * 4096L; // straddles a superpage and a big-page boundary
        long length = sp + 6 * 4096L;
        Cursor<KernelSpace> c = table.cursor(VirtAddr.of(base), length);
        c.mapFresh(length, PageProperty.kernelData(), Usage.USER, true);
        assertEquals(0, c.remaining());
        for (long va = base; va < base + length; va += 4096) {
            Mapping m = table.query(VirtAddr.of(va)).orElseThrow(() -> new AssertionError("not mapped"));
            assertEquals(va, m.va().value());
        }
        c.jump(VirtAddr.of(base));
        int seen = 0;
        while (c.remaining() > 0) {
            long at = c.virtAddr().value();
            assertEquals(at, c.query().orElseThrow().va().value());
            seen++;
        }
        assertEquals(length / 4096, seen);
        c.jump(VirtAddr.of(base));
        c.unmap(length).flush();
        assertEquals(1, table.nodeCount(), "every emptied node unlinked");
        assertEquals(0, frames.stats().used(Usage.USER));
        table.destroy().flush();
    }

    /**
     * A cursor's path is a cache: when the table unlinks a node the cursor passed through (another
     * caller unmapped the last page there), the cursor walks again from the root instead of writing
     * into the released node.
     */
    @ParameterizedTest
    @MethodSource("formats")
    void aCursorNeverStepsIntoANodeTheTableUnlinked(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<KernelSpace> table = PageTable.kernel(arch.format(), frames);
        long base = arch.kernelVa();
        Cursor<KernelSpace> c = table.cursor(VirtAddr.of(base), 4 * 4096L);
        c.map(frames.alloc(Usage.USER), PageProperty.kernelData());
        int nodes = table.nodeCount();
        table.unmap(VirtAddr.of(base), 4096).flush(); // empties and unlinks the nodes on the cursor's path
        assertEquals(1, table.nodeCount());
        c.map(frames.alloc(Usage.USER), PageProperty.kernelData()); // base + 4 KiB, through fresh nodes
        assertEquals(nodes, table.nodeCount());
        assertEquals(base + 4096, table.query(VirtAddr.of(base + 4096)).orElseThrow().va().value());
        assertEquals(1, table.mappings().size());
        table.destroy().flush();
        assertEquals(0, frames.stats().used(Usage.USER));
        assertEquals(0, frames.stats().used(Usage.PAGE_TABLE));
    }

    /** A cursor's mapFresh refuses an overlap or a length beyond its range, and a refusal changes nothing. */
    @ParameterizedTest
    @MethodSource("formats")
    void aRefusedMapFreshChangesNothing(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<KernelSpace> table = PageTable.kernel(arch.format(), frames);
        long base = arch.kernelVa() + arch.superPage() - 4 * 4096L; // the range crosses into the next last-level table
        table.map(VirtAddr.of(base + 6 * 4096L), frames.alloc(Usage.USER), PageProperty.kernelData());
        var before = frames.stats();
        var mappedBefore = table.mappings();
        int nodesBefore = table.nodeCount();
        Cursor<KernelSpace> c = table.cursor(VirtAddr.of(base), 8 * 4096L);
        MappingException overlap = assertThrows(MappingException.class,
                () -> c.mapFresh(8 * 4096L, PageProperty.kernelData(), Usage.USER, true));
        assertTrue(overlap.getMessage().contains("overlaps"), overlap.getMessage());
        assertThrows(MappingException.class, () -> c.mapFresh(9 * 4096L, PageProperty.kernelData(), Usage.USER, true),
                "beyond the cursor's range");
        assertEquals(before, frames.stats());
        assertEquals(mappedBefore, table.mappings());
        assertEquals(nodesBefore, table.nodeCount());
        assertEquals(base, c.virtAddr().value(), "a refusal does not move the cursor");
        c.mapFresh(6 * 4096L, PageProperty.kernelData(), Usage.USER, true);
        assertEquals(7, table.mappings().size());
        table.destroy().flush();
    }
}
