package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.AllocatorStats;
import dev.deed.frame.Frame;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.Tracked;
import dev.deed.frame.Usage;
import dev.deed.paging.Mapping;
import dev.deed.paging.MappingException;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.PendingFlush;
import dev.deed.paging.UserSpace;
import dev.deed.paging.VirtAddr;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The page-table side of copy-on-write fork: {@code shareInto} gives the child every tracked leaf
 * read-only with one more reference on its frame and write-protects the parent, all or nothing
 * under injected allocation failures; {@code replace} swaps a shared leaf for a private copy and
 * drops the old reference only after the flush; {@code mapShared} adds a reference per mapping.
 */
class CopyOnWriteTableTest {
    static List<String> formats() {
        return Arch.names();
    }

    private static final PageProperty RW = PageProperty.parse("rwu");
    private static final PageProperty RX = PageProperty.parse("rxu");

    /** A parent with writable pages in two far-apart regions (so several nodes) and a read-only one. */
    private static PageTable<UserSpace> parent(Arch arch, FrameAllocator frames) {
        PageTable<UserSpace> table = PageTable.user(arch.format(), frames, asid(arch, 1));
        table.mapFresh(VirtAddr.of(arch.userVa()), 24 * 4096, RW, Usage.USER, true);
        table.mapFresh(VirtAddr.of(arch.userVa() + arch.superPage() * 3), 4 * 4096, RX, Usage.USER, true);
        table.mapFresh(VirtAddr.of(0x8000_0000L - 8 * 4096), 8 * 4096, RW, Usage.USER, true);
        return table;
    }

    @ParameterizedTest
    @MethodSource("formats")
    void shareIntoGivesTheChildEveryPageReadOnlyWithOneMoreReference(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<UserSpace> parent = parent(arch, frames);
        List<Mapping> before = parent.mappings();
        PageTable<UserSpace> child = PageTable.user(arch.format(), frames, asid(arch, 2));
        PendingFlush pending = parent.shareInto(child);
        assertEquals(0, pending.framesToRelease(), "sharing releases nothing");
        assertEquals(0, pending.nodesToRelease());
        pending.flush();
        List<Mapping> inChild = child.mappings();
        List<Mapping> inParent = parent.mappings();
        assertEquals(before.size(), inChild.size());
        for (int i = 0; i < before.size(); i++) {
            Mapping was = before.get(i);
            for (Mapping now : List.of(inParent.get(i), inChild.get(i))) {
                assertEquals(was.va(), now.va());
                assertEquals(was.pa(), now.pa(), "the same frame, not a copy");
                assertFalse(now.props().write(), "shared pages are read-only on both sides: " + now);
                assertEquals(was.props().execute(), now.props().execute());
                assertTrue(now.tracked());
            }
            assertEquals(2, frames.info(PhysAddr.of(was.pa())).references(), "one reference per mapping");
        }
        child.destroy().flush();
        for (Mapping m : before) {
            assertEquals(1, frames.info(PhysAddr.of(m.pa())).references(), "the child's references went with it");
        }
        assertThrows(MappingException.class, () -> parent.shareInto(parent), "a table cannot share into itself");
        PageTable<UserSpace> full = parent(arch, frames);
        assertThrows(MappingException.class, () -> parent.shareInto(full), "nor into a table that maps something");
        full.destroy().flush();
        parent.destroy().flush();
        frames.drainCpuCaches();
        assertEquals(0, frames.stats().used(Usage.USER));
        assertEquals(0, frames.stats().used(Usage.PAGE_TABLE));
    }

    /** shareInto with its k-th node allocation failing, k = 1, 2, …: each refusal leaves the parent exactly as it was. */
    @ParameterizedTest
    @MethodSource("formats")
    void aRefusedShareLeavesTheParentAsItWas(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<UserSpace> parent = parent(arch, frames);
        List<Mapping> before = parent.mappings();
        int refused = 0;
        for (int k = 1; ; k++) {
            frames.drainCpuCaches();
            AllocatorStats stats = frames.stats();
            PageTable<UserSpace> child = PageTable.user(arch.format(), frames, asid(arch, 2));
            frames.faults().failNth(k, null);
            try {
                parent.shareInto(child).flush();
            } catch (OutOfFramesException e) {
                frames.faults().clear();
                child.destroy().flush(); // the owner tears the partial child down
                frames.drainCpuCaches();
                assertEquals(before, parent.mappings(), "refused at allocation " + k + ": the parent changed");
                assertEquals(stats, frames.stats(), "refused at allocation " + k + ": the allocator changed");
                refused++;
                continue;
            }
            frames.faults().clear();
            child.destroy().flush();
            break;
        }
        assertTrue(refused >= arch.format().levels() - 1, "the child's nodes were swept: " + refused);
        parent.destroy().flush();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void replaceSwapsAPrivateCopyInAndDropsTheSharedReferenceAfterTheFlush(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<UserSpace> parent = parent(arch, frames);
        PageTable<UserSpace> child = PageTable.user(arch.format(), frames, asid(arch, 2));
        parent.shareInto(child).flush();
        VirtAddr va = VirtAddr.of(arch.userVa() + 4096);
        long shared = child.query(va).orElseThrow().pa();
        Frame<Tracked> copy = frames.alloc(Usage.USER);
        long copyPa = copy.addr().value();
        PendingFlush swap = child.replace(va, copy, RW);
        assertEquals(2, frames.info(PhysAddr.of(shared)).references(), "held until the flush");
        swap.flush();
        assertEquals(1, frames.info(PhysAddr.of(shared)).references());
        Mapping now = child.query(va).orElseThrow();
        assertEquals(copyPa, now.pa());
        assertTrue(now.props().write());
        Frame<Tracked> stray = frames.alloc(Usage.USER);
        MappingException none = assertThrows(MappingException.class,
                () -> child.replace(VirtAddr.of(arch.userVa() + arch.superPage()), stray, RW));
        assertTrue(none.getMessage().contains("not mapped by a 4 KiB page") || none.getMessage().contains("no 4 KiB page"),
                none.getMessage());
        assertFalse(stray.isClosed(), "a refused replace leaves the frame with the caller");
        stray.close();
        child.mapShared(VirtAddr.of(arch.userVa() + arch.superPage()), PhysAddr.of(shared), PageProperty.parse("ru"));
        assertEquals(2, frames.info(PhysAddr.of(shared)).references(), "mapShared adds one reference for its mapping");
        child.destroy().flush();
        parent.destroy().flush();
        frames.drainCpuCaches();
        assertEquals(0, frames.stats().used(Usage.USER));
    }

    /** ASID {@code n}, or 0 on a format without ASIDs (i386). */
    private static int asid(Arch arch, int n) {
        return arch.format().hasAsids() ? n : 0;
    }
}
