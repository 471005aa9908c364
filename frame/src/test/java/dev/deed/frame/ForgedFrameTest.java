package dev.deed.frame;

import static dev.deed.frame.Expect.thrown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * B3 (asterinas#1760): a test inside the frame package called {@code Page::from_unused(0x1000, meta)},
 * dropped the page, then allocated 10 and 100 pages — and the allocator hung. Here the forged handle
 * is refused at its close, nothing changes, and both allocations succeed with exact totals.
 * (Outside this package the forgery does not compile: see archtests' negative-compilation tests.)
 */
class ForgedFrameTest {

    @Test
    void aForgedFrameAt0x1000IsRefusedAtItsFreeAndTheAllocatorCarriesOn() {
        FrameAllocator frames = FrameAllocator.boot(new Machine("b3", PhysAddr.of(0), 64L << 20, List.of(), 1));
        AllocatorStats before = frames.stats();

        Frame<Tracked> forged = Frame.fromUnused(frames, PhysAddr.of(0x1000));
        BadFreeException e = thrown(BadFreeException.class, forged::close,
                "bad free of frame 0x1000", "unused", "nothing was changed");
        assertEquals(PhysAddr.of(0x1000), e.addr());
        assertEquals(before, frames.stats());
        assertNull(frames.verify());

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            List<Segment<Tracked>> ten = List.of(frames.allocContiguous(Usage.KERNEL, 10));
            List<Segment<Tracked>> hundred = List.of(frames.allocContiguous(Usage.KERNEL, 100));
            assertEquals(before.free() - 110, frames.stats().free());
            assertEquals(110, frames.stats().used());
            ten.forEach(Segment::close);
            hundred.forEach(Segment::close);
        });
        assertEquals(before.free(), frames.stats().free());
        assertNull(frames.verify());
    }

    @Test
    void forgedFreesOfReservedAndForeignFramesAreRefusedToo() {
        FrameAllocator frames = FrameAllocator.boot(Machine.riscv64(64L << 20));
        AllocatorStats before = frames.stats();
        thrown(BadFreeException.class, Frame.fromUnused(frames, PhysAddr.of(0x8000_0000L))::close, "0x80000000", "reserved");
        thrown(BadFreeException.class, Frame.fromUnused(frames, PhysAddr.of(0x1000))::close, "0x1000", "outside RAM");
        Segment<Tracked> real = frames.allocContiguous(Usage.KERNEL, 4);
        thrown(BadFreeException.class, Frame.fromUnused(frames, real.addr().add(4096))::close,
                "not the head of an allocated unit of 1 frames");
        real.close();
        frames.drainCpuCaches();
        assertEquals(before, frames.stats());
        assertNull(frames.verify());
    }
}
