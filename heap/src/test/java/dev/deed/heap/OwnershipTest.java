package dev.deed.heap;

import static dev.deed.heap.Expect.thrown;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.FaultSite;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.PhysAddr;
import java.util.List;
import dev.deed.frame.OutOfFramesException;
import org.junit.jupiter.api.Test;

class OwnershipTest {
    private final FrameAllocator frames = FrameAllocator.boot(new Machine("riscv64", PhysAddr.of(0x8000_0000L), 64L << 20, List.of(), 1));
    private final KernelHeap heap = KernelHeap.create(frames, HeapConfig.of(8));
    private final StructLayout layout = StructLayout.builder("proc", 8).u32("pid").pointer("cmdline").pointer("cwd").build();

    @Test
    void aContainerFreesItsChildrenFirstThenItself() {
        Container proc = heap.kzallocContainer(layout.size());
        proc.label("proc");
        Child cmdline = proc.kzallocChild(layout.field("cmdline"), 32);
        cmdline.label("cmdline");
        Child cwd = proc.kzallocChild(layout.field("cwd"), 32);
        cwd.label("cwd");
        assertArrayEquals(new Child[] {cwd, cmdline}, proc.children());
        assertEquals(cmdline.address(), proc.read(layout.field("cmdline")), "the pointer field names the child");
        assertEquals(3, heap.stats().liveBlocks());

        proc.free();
        assertTrue(cmdline.isFreed() && cwd.isFreed() && proc.isFreed());
        thrown(RevokedBlockException.class, () -> cmdline.readU8(0), "block 'cmdline'", "after it was freed");
        thrown(RevokedBlockException.class, () -> proc.read(layout.field("pid")), "after it was freed");
        assertEquals(0, heap.stats().liveBlocks());
    }

    @Test
    void aChildFreedEarlyClearsItsPointerAndCanBeReplaced() {
        Container proc = heap.kzallocContainer(layout.size());
        Child first = proc.kzallocChild(layout.field("cmdline"), 32);
        thrown(IllegalArgumentException.class, () -> proc.kzallocChild(layout.field("cmdline"), 32),
                "already names live child", "freeChild");
        assertEquals(2, heap.stats().liveBlocks(), "the refused allocation took nothing");
        proc.freeChild(first);
        assertEquals(0, proc.read(layout.field("cmdline")));
        thrown(LiveChildrenException.class, () -> proc.freeChild(first), "not a live child", "nothing was freed");
        Child second = proc.kzallocChild(layout.field("cmdline"), 64);
        assertSame(second, proc.children()[0]);
        proc.free();
        assertEquals(0, heap.stats().liveBlocks());
    }

    @Test
    void aChildOfAnotherContainerOrAFieldThatIsNoPointerIsRefused() {
        Container a = heap.kzallocContainer(layout.size());
        Container b = heap.kzallocContainer(layout.size());
        Child ofA = a.kzallocChild(layout.field("cwd"), 16);
        thrown(LiveChildrenException.class, () -> b.freeChild(ofA), "not a live child");
        thrown(IllegalArgumentException.class, () -> a.kzallocChild(layout.field("pid"), 16), "not a pointer field");
        StructLayout big = StructLayout.builder("big", 8).bytes("pad", 4096).pointer("far").build();
        thrown(IllegalArgumentException.class, () -> a.kzallocChild(big.field("far"), 16), "not a pointer field inside");
        assertEquals(3, heap.stats().liveBlocks(), "refusals allocated nothing");
        a.free();
        b.free();
        assertEquals(0, heap.stats().liveBlocks());
    }

    @Test
    void aChildRefusedForLackOfMemoryLeavesTheContainerAndTheHeapAsTheyWere() {
        Container proc = heap.kzallocContainer(layout.size());
        HeapStats before = heap.stats();
        frames.faults().failNth(1, FaultSite.HEAP);
        thrown(OutOfFramesException.class, () -> proc.kzallocChild(layout.field("cmdline"), 32), "injected fault at heap");
        assertEquals(before, heap.stats());
        assertEquals(0, proc.read(layout.field("cmdline")));
        assertEquals(0, proc.children().length);
        proc.free();
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
        thrown(LiveChildrenException.class, a::close, "still owns live");
        c.close();
        b.close();
        a.close();
        assertEquals(0, heap.stats().liveBlocks());
    }
}
