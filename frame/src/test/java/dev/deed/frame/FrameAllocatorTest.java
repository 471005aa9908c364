package dev.deed.frame;

import static dev.deed.frame.Expect.thrown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameAllocatorTest {
    private static final long MIB = 1L << 20;
    private final FrameAllocator frames = FrameAllocator.boot(TestMachines.riscv64(256 * MIB));

    @Test
    void bootAccountsForEveryFrameAndTheReservedRanges() {
        AllocatorStats s = frames.stats();
        assertEquals(65536, s.total());
        assertEquals(1024, s.reserved(), "2 MiB firmware + 2 MiB kernel image");
        assertEquals(65536 - 1024, s.free());
        assertEquals(0, s.used());
        assertEquals(FrameState.RESERVED, frames.info(PhysAddr.of(0x8000_0000L)).state());
        assertEquals(FrameState.UNUSED, frames.info(PhysAddr.of(0x8040_0000L)).state());
        assertNull(frames.verify());
    }

    @Test
    void aFrameIsUniqueThenInUseThenReturnedByTheLastClose() {
        Frame<Tracked> a = frames.alloc(Usage.USER);
        PhysAddr addr = a.addr();
        assertEquals(FrameState.UNIQUE, a.info().state());
        Frame<Tracked> b = a.share();
        assertEquals(FrameState.IN_USE, frames.info(addr).state());
        assertEquals(2, frames.info(addr).references());
        a.close();
        assertEquals(FrameState.UNIQUE, frames.info(addr).state());
        assertEquals(1, frames.stats().used(Usage.USER));
        b.close();
        assertEquals(FrameState.UNUSED, frames.info(addr).state());
        assertEquals(0, frames.stats().used());
        assertNull(frames.verify());
    }

    @Test
    void aClosedHandleIsRevoked() {
        Frame<Tracked> f = frames.alloc(Usage.KERNEL);
        f.close();
        long free = frames.stats().free();
        thrown(RevokedHandleException.class, f::close, "tracked frame handle 0x", "was closed");
        thrown(RevokedHandleException.class, f::share);
        thrown(RevokedHandleException.class, f::addr);
        thrown(RevokedHandleException.class, () -> f.readU64(0));
        assertEquals(free, frames.stats().free(), "the refused double close changed nothing");
    }

    @Test
    void frameContentsAreReadAndWrittenThroughTheHandleWithinBounds() {
        try (Frame<Tracked> f = frames.allocZeroed(Usage.KERNEL)) {
            f.writeU64(4088, 0xDEAD_BEEFL);
            assertEquals(0xDEAD_BEEFL, f.readU64(4088));
            assertEquals(0xEF, f.readU8(4088));
            assertEquals(0xDEAD_BEEFL, frames.memory().readU64(f.addr().value() + 4088));
            thrown(IndexOutOfBoundsException.class, () -> f.readU64(4089), "offset 4089");
            thrown(IndexOutOfBoundsException.class, () -> f.writeU8(-1, 0), "offset -1");
        }
    }

    @Test
    void allocZeroedReallyZeroes() {
        Frame<Tracked> dirty = frames.alloc(Usage.KERNEL);
        PhysAddr addr = dirty.addr();
        dirty.writeU64(0, -1L);
        dirty.close();
        try (Frame<Tracked> again = frames.allocZeroed(Usage.KERNEL)) {
            assertEquals(addr, again.addr(), "the magazine hands the last freed frame out first");
            assertEquals(0, again.readU64(0));
        }
    }

    @Test
    void contiguousRunsAreAlignedAndComeBackWhole() {
        AllocatorStats before = frames.stats();
        List<Segment<Tracked>> runs = new ArrayList<>();
        for (long n : new long[] {1, 3, 8, 64, 100, 512}) {
            Segment<Tracked> s = frames.allocContiguous(Usage.KERNEL, n);
            assertEquals(n, s.frames());
            long order = 64 - Long.numberOfLeadingZeros(n - 1);
            assertTrue(s.addr().isAligned(4096L << order), s.addr() + " aligned for " + n + " frames");
            runs.add(s);
        }
        try (Segment<Tracked> huge = frames.allocContiguous(Usage.USER, 512, 2 * MIB, true)) {
            assertTrue(huge.addr().isAligned(2 * MIB));
            assertEquals(0, huge.readU64(511 * 4096));
        }
        assertEquals(1 + 3 + 8 + 64 + 100 + 512, frames.stats().used());
        runs.forEach(Segment::close);
        assertEquals(before.free(), frames.stats().free());
        frames.drainCpuCaches();
        assertEquals(before.freeBlocks(), frames.stats().freeBlocks(), "every split was merged back");
        assertNull(frames.verify());
    }

    @Test
    void aSharedSegmentIsReturnedByItsLastClose() {
        Segment<Tracked> a = frames.allocContiguous(Usage.USER, 5);
        Segment<Tracked> b = a.share();
        assertEquals(FrameState.IN_USE, frames.info(a.addr().add(4 * 4096)).state());
        a.close();
        assertEquals(5, frames.stats().used());
        b.close();
        assertEquals(0, frames.stats().used());
        thrown(RevokedHandleException.class, b::close, "segment handle", "(5 frames)");
    }

    @Test
    void badContiguousRequestsAreRejected() {
        thrown(IllegalArgumentException.class, () -> frames.allocContiguous(Usage.KERNEL, 0), "of 0 frames");
        thrown(IllegalArgumentException.class, () -> frames.allocContiguous(Usage.KERNEL, (1 << 18) + 1), "262145");
        thrown(IllegalArgumentException.class, () -> frames.allocContiguous(Usage.KERNEL, 1, 12288, false), "alignment 12288");
        assertEquals(0, frames.stats().used());
    }

    @Test
    void outOfMemoryIsRecoverableAndChangesNothing() {
        FrameAllocator small = FrameAllocator.boot(new Machine("t", PhysAddr.of(0), 64 * 4096, java.util.List.of(), 1));
        thrown(OutOfFramesException.class, () -> small.allocContiguous(Usage.KERNEL, 128), "order 7", "64 frames free");
        List<Frame<Tracked>> all = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            all.add(small.alloc(Usage.KERNEL));
        }
        AllocatorStats full = small.stats();
        thrown(OutOfFramesException.class, () -> small.alloc(Usage.KERNEL), "no free frame left");
        assertEquals(full, small.stats());
        all.remove(0).close();
        try (Frame<Tracked> last = small.alloc(Usage.KERNEL)) {
            assertEquals(FrameState.UNIQUE, last.info().state());
        }
        all.forEach(Frame::close);
        assertEquals(64, small.stats().free());
        assertNull(small.verify());
    }

    @Test
    void untrackedHandlesNameOnlyMemoryTheAllocatorDoesNotOwn() {
        try (Frame<Untracked> firmware = frames.untracked(PhysAddr.of(0x8000_0000L));
             Segment<Untracked> image = frames.untrackedRange(PhysAddr.of(0x8020_0000L), 2 * MIB);
             Segment<Untracked> uart = frames.untrackedRange(PhysAddr.of(0x1000_0000L), 4096)) {
            assertTrue(!firmware.isTracked() && !image.isTracked() && !uart.isTracked());
        }
        thrown(FrameStateException.class, () -> frames.untracked(PhysAddr.of(0x8040_0000L)).close(),
                "0x80400000", "allocatable RAM");
        thrown(FrameStateException.class, () -> frames.untrackedRange(PhysAddr.of(0x8030_0000L), 2 * MIB).close(),
                "0x80400000");
        thrown(InvalidAddressException.class, () -> frames.untracked(PhysAddr.of(0x8000_0010L)).close(), "0x80000010");
        AllocatorStats before = frames.stats();
        frames.untracked(PhysAddr.of(0x8000_1000L)).close(); // closing untracked memory never frees it
        assertEquals(before, frames.stats());
    }

    @Test
    void buddyInfoCountsFreeBlocksPerOrder() {
        FrameAllocator tiny = FrameAllocator.boot(new Machine("t", PhysAddr.of(0), 16 * 4096, List.of(), 1));
        assertEquals(1, tiny.stats().freeBlocks().get(4));
        try (Segment<Tracked> one = tiny.allocContiguous(Usage.KERNEL, 1)) {
            assertEquals(PhysAddr.of(0), one.addr());
            List<Integer> blocks = tiny.stats().freeBlocks();
            assertEquals(List.of(1, 1, 1, 1, 0), blocks.subList(0, 5), "splitting 16 leaves 1+2+4+8");
        }
        assertEquals(1, tiny.stats().cached(), "a freed single frame goes to the CPU's magazine first");
        tiny.drainCpuCaches();
        assertEquals(1, tiny.stats().freeBlocks().get(4));
    }

    @Test
    void aLargeMachineBootsSparse() {
        FrameAllocator big = FrameAllocator.boot(TestMachines.riscv64(64L << 30));
        assertEquals(16L << 20, big.stats().total());
        assertEquals(63, big.stats().freeBlocks().get(FrameAllocator.MAX_ORDER), "64 GiB less 4 MiB reserved leaves 63 whole GiB units");
        assertEquals(0, big.memory().touchedPages());
        try (Segment<Tracked> gib = big.allocContiguous(Usage.USER, FrameAllocator.MAX_CONTIGUOUS)) {
            assertTrue(gib.addr().isAligned(1L << 30));
        }
    }
}
