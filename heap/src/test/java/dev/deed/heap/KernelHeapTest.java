package dev.deed.heap;

import static dev.deed.heap.Expect.thrown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelHeapTest {
    private final FrameAllocator frames = FrameAllocator.boot(new Machine("riscv64", PhysAddr.of(0x8000_0000L), 64L << 20, List.of(), 1));
    private final KernelHeap heap = KernelHeap.create(frames, HeapConfig.of(8));

    @Test
    void requestsAreServedBySizeClassOrMainBlock() {
        long[][] cases = {{1, 16}, {16, 16}, {17, 32}, {1000, 1024}, {2048, 2048}, {2049, 4096}, {4097, 8192},
                {3 * 4096 + 43, 16384}, {KernelHeap.MAIN_MAX, KernelHeap.MAIN_MAX}};
        for (long[] c : cases) {
            try (Block b = heap.kmalloc(c[0])) {
                assertEquals(c[1], b.size(), "kmalloc(" + c[0] + ")");
                assertEquals(c[0], b.requested());
                long alignment = Math.min(b.size(), PhysAddr.PAGE_SIZE);
                assertEquals(0, b.address() % alignment, "blocks are aligned to their size (up to a page)");
            }
        }
        assertNull(heap.verify());
    }

    @Test
    void badSizesAreRejectedNamingTheSize() {
        thrown(IllegalArgumentException.class, () -> heap.kmalloc(0).close(), "kmalloc(0)", "[1, 4194304]");
        thrown(IllegalArgumentException.class, () -> heap.kmalloc(-5).close(), "kmalloc(-5)");
        thrown(IllegalArgumentException.class, () -> heap.kmalloc(KernelHeap.MAIN_MAX + 1).close(), "kmalloc(4194305)");
        assertEquals(0, heap.stats().steps(), "a rejected request is not a heap operation");
    }

    @Test
    void blocksAreReadAndWrittenThroughTypedAccessorsWithinBounds() {
        try (Block b = heap.kzalloc(24)) {
            b.writeU8(0, 0xAB);
            b.writeU16(2, 0xBEEF);
            b.writeU32(4, 0xDEAD_BEEFL);
            b.writeU64(8, -2L);
            b.writePointer(16, 0x8000_1000L);
            assertEquals(0xAB, b.readU8(0));
            assertEquals(0xBEEF, b.readU16(2));
            assertEquals(0xDEAD_BEEFL, b.readU32(4));
            assertEquals(-2L, b.readU64(8));
            assertEquals(0x8000_1000L, b.readPointer(16));
            assertEquals(0, b.readU64(24), "kzalloc zeroes the whole usable block");
            thrown(IndexOutOfBoundsException.class, () -> b.readU64(25), "offset 25 (+8)", "size 32");
            thrown(IndexOutOfBoundsException.class, () -> b.writeU8(-1, 0), "offset -1");
        }
    }

    @Test
    void pointerFieldsAreAsWideAsTheArchitecturesPointers() {
        FrameAllocator pc = FrameAllocator.boot(new Machine("i386", PhysAddr.of(0x0010_0000L), 16L << 20, List.of(), 1));
        KernelHeap small = KernelHeap.create(pc, HeapConfig.of(4));
        StructLayout layout = StructLayout.builder("node", 4).u8("tag").pointer("next").u64("key").build();
        assertEquals(4, layout.field("next").offset());
        assertEquals(8, layout.field("key").offset());
        assertEquals(16, layout.size());
        try (Block node = small.kzalloc(layout.size())) {
            node.write(layout.field("next"), 0xFFFF_FFF0L);
            assertEquals(0xFFFF_FFF0L, node.read(layout.field("next")));
            assertEquals(0, node.readU32(8), "a 4-byte pointer does not spill into the next field");
            thrown(IllegalArgumentException.class, () -> node.writePointer(4, 1L << 32), "does not fit in 4 bytes");
        }
        StructLayout wide = StructLayout.builder("node", 8).u8("tag").pointer("next").u64("key").build();
        assertEquals(8, wide.field("next").offset());
        assertEquals(24, wide.size());
        thrown(IllegalArgumentException.class, () -> wide.field("prev"), "no field 'prev'", "tag, next, key");
        thrown(IllegalArgumentException.class, () -> StructLayout.builder("x", 8).u8("a").u8("a"), "'a'");
        thrown(IllegalArgumentException.class, () -> StructLayout.builder("x", 3), "pointer width 3");
    }

    @Test
    void aFreedHandleIsRevokedAndADoubleCloseChangesNothing() {
        Block b = heap.kmalloc(100);
        b.close();
        HeapStats after = heap.stats();
        thrown(RevokedBlockException.class, b::close, "block 0x", "(size 128)", "after it was freed");
        thrown(RevokedBlockException.class, () -> b.readPointer(0));
        assertEquals(after, heap.stats());
    }

    @Test
    void slabsComeAndGoWithTheLoad() {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            blocks.add(heap.kmalloc(64));
        }
        SlabClassStats c64 = heap.stats().classes().get(2);
        assertEquals("kmalloc-64", c64.name());
        assertEquals(1000, c64.activeObjects());
        assertEquals(16, c64.slabs(), "64 objects of 64 bytes per 4 KiB slab");
        assertEquals(16 * 64, c64.totalObjects());
        assertEquals(16, frames.stats().used(Usage.HEAP));
        blocks.forEach(Block::close);
        assertEquals(KernelHeap.KEEP_EMPTY + 1, heap.stats().classes().get(2).slabs(),
                "the active slab and at most two more empty slabs are kept");
        assertEquals(KernelHeap.KEEP_EMPTY + 1, frames.stats().used(Usage.HEAP));
        heap.shrink();
        assertEquals(0, frames.stats().used(Usage.HEAP));
        assertNull(heap.verify());
    }

    @Test
    void mainBlocksAreCachedUpToABudgetAndThenReturned() {
        List<Block> big = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            big.add(heap.kmalloc(20_000)); // 32 KiB blocks: 2.5 MiB in all
        }
        assertEquals(80 * 8, frames.stats().used(Usage.HEAP));
        long first = big.get(79).address();
        big.forEach(Block::close);
        assertEquals(64, heap.stats().cachedMainBlocks(), "2 MiB of freed 32 KiB blocks are kept");
        assertEquals(KernelHeap.MAIN_CACHE_BYTES >> 12, heap.stats().framesHeld());
        try (Block again = heap.kmalloc(30_000)) {
            assertEquals(first, again.address(), "the most recently freed main block is reused");
        }
        heap.shrink();
        assertEquals(0, heap.stats().framesHeld());
    }

    @Test
    void runningOutOfFramesIsTheFrameAllocatorsRecoverableError() {
        FrameAllocator tiny = FrameAllocator.boot(new Machine("t", PhysAddr.of(0), 64 * 4096, List.of(), 1));
        KernelHeap h = KernelHeap.create(tiny, new HeapConfig(8, PoisonPolicy.ALL_HEAPS, HeapConfig.TILCK_POISON));
        HeapStats before = h.stats();
        thrown(OutOfFramesException.class, () -> h.kmalloc(1 << 20).close(), "out of memory");
        assertEquals(before.framesHeld(), h.stats().framesHeld());
        assertEquals(0, h.stats().liveBlocks());
        assertNull(h.verify());
    }

    @Test
    void heapConfigPoisonsPointersOfItsWidth() {
        assertEquals(0xFAAB_CAFE_FAAB_CAFEL, HeapConfig.of(8).poisonPointer());
        assertEquals(0xFAAB_CAFEL, HeapConfig.of(4).poisonPointer());
        thrown(IllegalArgumentException.class, () -> HeapConfig.of(2), "pointer width 2");
        thrown(IllegalArgumentException.class, () -> HeapConfig.forMachine(
                new Machine("mips", PhysAddr.of(0), 1 << 20, List.of(), 1)), "'mips'", "no memory layout");
        assertTrue(PoisonPolicy.ALL_HEAPS.poisonsSmall() && !PoisonPolicy.MAIN_HEAPS_ONLY.poisonsSmall());
    }
}
