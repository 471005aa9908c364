package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.AllocatorStats;
import dev.deed.frame.Frame;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Segment;
import dev.deed.frame.Tracked;
import dev.deed.frame.Untracked;
import dev.deed.frame.Usage;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.Mapping;
import dev.deed.paging.MappingException;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.UserSpace;
import dev.deed.paging.VirtAddr;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run-time backstop behind every phantom type: what a raw type or an unchecked cast lets through
 * the compiler is refused when it runs, before anything is allocated — the allocator, the table's
 * nodes and its mappings are compared before and after every refusal.
 */
@SuppressWarnings({"unchecked", "rawtypes"}) // the misuse under test: raw types and unchecked casts past the phantom types
class BackstopTest {

    static List<String> formats() {
        return Arch.names();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void mapUntrackedRefusesAUserTableReachedThroughARawType(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<UserSpace> user = PageTable.user(arch.format(), frames, arch.format().hasAsids() ? 1 : 0);
        try (Segment<Untracked> mmio = frames.untrackedRange(arch.mmio(0), arch.superPage())) {
            PageTable raw = user;
            refusedChangingNothing(frames, user, () -> PageTable.mapUntracked(raw, VirtAddr.of(arch.userVa()), mmio,
                    PageProperty.userData()), "is a user table", "only in kernel tables");
        }
        user.destroy().flush();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void mapUntrackedRefusesAllocatorMemoryCastToUntracked(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<KernelSpace> kernel = PageTable.kernel(arch.format(), frames);
        try (Segment<Tracked> ram = frames.allocContiguous(Usage.KERNEL, 4)) {
            Segment cast = ram;
            refusedChangingNothing(frames, kernel, () -> PageTable.mapUntracked(kernel, VirtAddr.of(arch.kernelVa()),
                    (Segment<Untracked>) cast, PageProperty.kernelData()), "is tracked memory the allocator owns");
            assertEquals(Usage.KERNEL, frames.info(ram.addr()).usage(), "the segment is still the caller's");
        }
        kernel.destroy().flush();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void mapRefusesAnUntrackedFrameCastToTrackedAndAForeignOneBeforeAllocatingANode(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        FrameAllocator other = arch.boot();
        PageTable<UserSpace> user = PageTable.user(arch.format(), frames, arch.format().hasAsids() ? 1 : 0);
        try (Frame<Untracked> mmio = frames.untracked(arch.mmio(0))) {
            Frame cast = mmio;
            refusedChangingNothing(frames, user, () -> user.map(VirtAddr.of(arch.userVa()), (Frame<Tracked>) cast,
                    PageProperty.userData()), "untracked");
            assertFalse(mmio.isClosed(), "a refused frame stays with the caller");
        }
        try (Frame<Tracked> foreign = other.alloc(Usage.USER)) {
            refusedChangingNothing(frames, user, () -> user.map(VirtAddr.of(arch.userVa()), foreign, PageProperty.userData()),
                    "from another allocator");
            assertFalse(foreign.isClosed(), "a refused frame stays with the caller");
        }
        user.destroy().flush();
    }

    /** Runs a refused call; the allocator, the table's node count and its mappings must be exactly as before. */
    private static void refusedChangingNothing(FrameAllocator frames, PageTable<?> table, Runnable call, String... words) {
        frames.drainCpuCaches();
        AllocatorStats before = frames.stats();
        int nodes = table.nodeCount();
        List<Mapping> mappings = table.mappings();
        MappingException e = assertThrows(MappingException.class, call::run);
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), e.getMessage() + " should say: " + w);
        }
        assertTrue(e.getMessage().contains("nothing was") || e.getMessage().startsWith("map at"), e.getMessage());
        frames.drainCpuCaches();
        assertEquals(before, frames.stats(), "a refusal took or gave back frames");
        assertEquals(nodes, table.nodeCount(), "a refusal changed the table's nodes");
        assertEquals(mappings, table.mappings(), "a refusal changed the mappings");
    }
}
