package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.AllocatorStats;
import dev.deed.frame.Frame;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.FrameState;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.Segment;
import dev.deed.frame.Tracked;
import dev.deed.frame.Untracked;
import dev.deed.frame.Usage;
import dev.deed.paging.Cpus;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.Mapping;
import dev.deed.paging.MappingException;
import dev.deed.paging.Mmu;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.PendingFlush;
import dev.deed.paging.UserSpace;
import dev.deed.paging.VirtAddr;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Page-table behaviour every format must show: mapping, superpages, splits, pruning, flush-then-release. */
class PageTableTest {
    static List<String> formats() {
        return Arch.names();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void aTrackedMappingHoldsTheFramesReferenceUntilUnmappedAndFlushed(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        AllocatorStats before = frames.stats();
        PageTable<UserSpace> table = PageTable.user(arch.format(), frames, 1 % (arch.format().hasAsids() ? 2 : 1));
        Frame<Tracked> frame = frames.allocZeroed(Usage.USER);
        PhysAddr pa = frame.addr();
        VirtAddr va = VirtAddr.of(arch.userVa());
        table.map(va, frame, PageProperty.userData());
        assertTrue(frame.isClosed(), "the handle's reference moved into the page table");
        assertEquals(FrameState.UNIQUE, frames.info(pa).state());
        Mapping m = table.query(va.add(0x123)).orElseThrow();
        assertEquals(new Mapping(va, pa.value(), 4096, m.props(), true), m);
        assertTrue(m.props().read() && m.props().write() && m.props().user());
        assertEquals(arch.format().levels(), table.nodeCount(), "one node per level on the path");

        PendingFlush pending = table.unmap(va, 4096);
        assertEquals(1, pending.framesToRelease());
        assertEquals(arch.format().levels() - 1, pending.nodesToRelease(), "the emptied nodes below the root");
        assertEquals(FrameState.UNIQUE, frames.info(pa).state(), "nothing is released before the flush");
        assertTrue(table.query(va).isEmpty());
        pending.flush();
        assertEquals(FrameState.UNUSED, frames.info(pa).state());
        assertEquals(1, table.nodeCount());
        table.destroy().flush();
        frames.drainCpuCaches();
        assertEquals(before, frames.stats());
    }

    @ParameterizedTest
    @MethodSource("formats")
    void untrackedRangesUseSuperpagesAndPartialUnmapsSplitThem(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<KernelSpace> table = PageTable.kernel(arch.format(), frames);
        long sp = arch.superPage();
        VirtAddr va = VirtAddr.of(arch.kernelVa() + sp - 4096); // one 4 KiB page, then superpages
        try (Segment<Untracked> mmio = frames.untrackedRange(arch.mmio(sp - 4096), 4096 + 3 * sp)) {
            PageTable.mapUntracked(table, va, mmio, PageProperty.parse("rwg"));
            List<Mapping> maps = table.mappings();
            assertEquals(List.of(4096L, sp, sp, sp), maps.stream().map(Mapping::size).toList());
            assertTrue(maps.stream().noneMatch(Mapping::tracked));

            long hole = arch.kernelVa() + sp + sp / 2; // a page inside the first superpage
            table.unmap(VirtAddr.of(hole), 4096).flush();
            List<Mapping> after = table.mappings();
            long pieces = after.stream().filter(m -> m.size() == 4096).count();
            assertEquals(1 + arch.format().entriesPerTable() - 1, pieces, "the split superpage minus the hole, plus the head page");
            assertTrue(after.stream().noneMatch(Mapping::tracked), "every piece keeps its untracked status");
            assertTrue(table.query(VirtAddr.of(hole)).isEmpty());
            Mapping next = table.query(VirtAddr.of(hole + 4096)).orElseThrow();
            assertEquals(arch.mmioPa() + sp + sp / 2 + 4096, next.pa());
            assertEquals("rwg", next.props().letters().replace("x", ""));
        }
        AllocatorStats before = frames.stats();
        table.destroy().flush();
        assertEquals(before.used(Usage.USER), frames.stats().used(Usage.USER), "untracked memory is never released");
        assertEquals(0, frames.stats().used(Usage.PAGE_TABLE));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void badRequestsAreRefusedAndChangeNothing(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<UserSpace> table = PageTable.user(arch.format(), frames, 0);
        try (Frame<Tracked> f = frames.alloc(Usage.USER)) {
            table.map(VirtAddr.of(arch.userVa()), f.share(), PageProperty.userData());
        }
        AllocatorStats stats = frames.stats();
        int nodes = table.nodeCount();
        Frame<Tracked> spare = frames.alloc(Usage.USER);
        assertThrows(MappingException.class, () -> table.map(VirtAddr.of(arch.userVa()), spare, PageProperty.userData()),
                "overlap");
        assertThrows(MappingException.class, () -> table.map(VirtAddr.of(arch.userVa() + 8), spare, PageProperty.userData()));
        long nonCanonical = arch.format().name().equals("i386") ? 1L << 32 : 1L << 50;
        assertThrows(MappingException.class, () -> table.map(VirtAddr.of(nonCanonical), spare, PageProperty.userData()));
        assertFalse(spare.isClosed(), "map never takes a frame it refuses: the caller keeps it");
        try (Frame<Tracked> foreign = arch.boot().alloc(Usage.USER)) {
            AllocatorStats beforeForeign = frames.stats();
            assertThrows(MappingException.class, () -> table.map(VirtAddr.of(arch.userVa() + (64L << 20)), foreign,
                    PageProperty.userData()), "a frame of another allocator");
            assertEquals(beforeForeign, frames.stats(), "refused before any table node was allocated");
        }
        spare.close();
        assertThrows(MappingException.class, () -> table.unmap(VirtAddr.of(arch.userVa() + (64L << 20)), 4096).flush(),
                "unmap of nothing");
        assertThrows(MappingException.class, () -> table.unmap(VirtAddr.of(arch.userVa()), 0).flush(), "size 0");
        assertThrows(MappingException.class, () -> table.protect(VirtAddr.of(arch.userVa()), 4096, PageProperty.parse("w")).flush(),
                "W without R / unreadable");
        assertEquals(nodes, table.nodeCount());
        assertEquals(stats.used(Usage.USER), frames.stats().used(Usage.USER));
        table.destroy().flush();
        MappingException destroyed = assertThrows(MappingException.class, () -> table.query(VirtAddr.of(0)));
        assertTrue(destroyed.getMessage().contains("destroyed"));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void protectChangesRightsButTheTlbKeepsTheOldOnesUntilTheFlush(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<UserSpace> table = PageTable.user(arch.format(), frames, 0);
        Mmu mmu = Cpus.of(frames, arch.format()).mmu(0);
        VirtAddr va = VirtAddr.of(arch.userVa());
        table.map(va, frames.alloc(Usage.USER), PageProperty.userData());
        long root = table.rootRegister();
        long pa = mmu.translate(root, va, dev.deed.paging.Access.WRITE, dev.deed.paging.Privilege.USER);
        PendingFlush pending = table.protect(va, 4096, PageProperty.parse("ru"));
        assertEquals(pa, mmu.translate(root, va, dev.deed.paging.Access.WRITE, dev.deed.paging.Privilege.USER),
                "a stale TLB entry still allows the write");
        pending.flush();
        var fault = assertThrows(dev.deed.paging.PageFault.class,
                () -> mmu.translate(root, va, dev.deed.paging.Access.WRITE, dev.deed.paging.Privilege.USER));
        assertEquals(dev.deed.paging.FaultKind.PERMISSION, fault.kind());
        assertThrows(IllegalStateException.class, () -> pending.flush(), "a second flush");
        table.destroy().flush();
    }
}
