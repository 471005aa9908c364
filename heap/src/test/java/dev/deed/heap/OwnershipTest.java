package dev.deed.heap;

import static dev.deed.heap.Expect.thrown;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import org.junit.jupiter.api.Test;

class OwnershipTest {
    private final FrameAllocator frames = FrameAllocator.boot(Machine.riscv64(64L << 20));
    private final KernelHeap heap = KernelHeap.create(frames, HeapConfig.forMachine(frames.machine()));

    @Test
    void aContainerIsFreedOnlyAfterEveryChild() {
        Block parent = heap.kmalloc(256);
        parent.label("proc");
        Block a = heap.kmalloc(32);
        a.label("cmdline");
        Block b = heap.kmalloc(32);
        b.label("cwd");
        parent.own(a);
        parent.own(b);
        assertArrayEquals(new Block[] {b, a}, parent.children());
        assertSame(parent, a.owner());
        thrown(LiveChildrenException.class, parent::close, "block 'proc'", "still owns live block 'cwd'", "(and 1 more)");
        b.close();
        thrown(LiveChildrenException.class, () -> parent.freeAfter(b, a), "after block 'cmdline'", "still live");
        assertEquals(2, heap.stats().liveBlocks());
        a.close();
        parent.freeAfter(b, a);
        assertEquals(0, heap.stats().liveBlocks());
    }

    @Test
    void ownershipMustBeATree() {
        Block a = heap.kmalloc(16);
        Block b = heap.kmalloc(16);
        Block c = heap.kmalloc(16);
        thrown(IllegalArgumentException.class, () -> a.own(a), "cannot own itself");
        a.own(b);
        thrown(IllegalArgumentException.class, () -> c.own(b), "already owned by");
        b.own(c);
        thrown(IllegalArgumentException.class, () -> c.own(a), "must not form a cycle");
        c.close();
        b.close();
        a.close();
        assertEquals(0, heap.stats().liveBlocks());
    }
}
