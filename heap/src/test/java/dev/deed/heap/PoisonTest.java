package dev.deed.heap;

import static dev.deed.heap.Expect.thrown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.PhysAddr;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoisonTest {
    private final FrameAllocator frames = FrameAllocator.boot(new Machine("riscv64", PhysAddr.of(0x8000_0000L), 64L << 20, List.of(), 1));
    private final KernelHeap heap = KernelHeap.create(frames, HeapConfig.of(8));

    @Test
    void everyHeapPoisonsFreedBlocks() {
        for (long size : new long[] {16, 300, 2048, 10_000}) {
            Block b = heap.kmalloc(size);
            long address = b.address();
            int usable = b.size();
            b.close();
            for (long off = 0; off < usable; off += 4) {
                assertEquals(0xFAAB_CAFEL, heap.memory().readU32(address + off), "size " + size + " offset " + off);
            }
        }
        assertNull(heap.verify());
    }

    @Test
    void aWriteAfterFreeIsReportedWhenTheBlockIsReused() {
        Block b = heap.kmalloc(100);
        long address = b.address();
        b.close(); // step 2
        heap.memory().writeU8(address + 37, 0x42); // a stale pointer writes into the freed block
        assertEquals("poison overwritten at 0x" + Long.toHexString(address + 37) + " (block of size 128 freed at step 2)",
                heap.verify());
        thrown(PoisonOverwrittenException.class, () -> heap.kmalloc(100).close(),
                "poison overwritten at 0x" + Long.toHexString(address + 37), "(block of size 128 freed at step 2)");
    }

    @Test
    void aWriteIntoAFreedMainBlockIsReportedToo() {
        Block b = heap.kmalloc(5000);
        long address = b.address();
        b.close();
        heap.memory().writeU64(address + 8000, 7);
        thrown(PoisonOverwrittenException.class, () -> heap.kmalloc(5000).close(),
                "poison overwritten at 0x" + Long.toHexString(address + 8000), "(block of size 8192 freed at step 2)");
    }

    @Test
    void tilcksPolicyLeavesSmallBlocksUnpoisoned() {
        KernelHeap tilck = KernelHeap.create(frames, HeapConfig.of(8).withPoison(PoisonPolicy.MAIN_HEAPS_ONLY));
        Block b = tilck.kmalloc(64);
        long address = b.address();
        b.writeU64(0, 0x1234);
        b.close();
        assertEquals(0x1234, tilck.memory().readU64(address), "small heaps are not poisoned under Tilck's policy");
        tilck.kmalloc(64).close(); // no check either
    }

    @Test
    void badRawFreesAreRefusedAndChangeNothing() {
        Block live = heap.kmalloc(64);
        long address = live.address();
        HeapStats before = heap.stats();
        thrown(BadHeapFreeException.class, () -> heap.freeRaw(address + 8), "inside the 64-byte block at 0x"
                + Long.toHexString(address), "not its start");
        thrown(BadHeapFreeException.class, () -> heap.freeRaw(0x1000), "kfree(0x1000)", "no heap owns");
        thrown(BadHeapFreeException.class, () -> heap.freeRaw(0xFAAB_CAFEL), "poison pattern", "read from freed memory");
        assertEquals(before, heap.stats());
        heap.freeRaw(address);
        HeapStats freed = heap.stats();
        thrown(BadHeapFreeException.class, () -> heap.freeRaw(address), "double free", "already free (freed at step 2)");
        assertEquals(freed, heap.stats());
        thrown(RevokedBlockException.class, live::close, "after it was freed"); // the unchecked free revoked the handle too
        assertNull(heap.verify());
    }
}
