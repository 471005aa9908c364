package dev.deed.frame;

import static dev.deed.frame.Expect.thrown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * B3 (asterinas#1760): a test inside the frame package called {@code Page::from_unused(0x1000, meta)},
 * dropped the page, then allocated 10 and 100 pages — and the allocator hung. Here, even inside the
 * package, minting the forged handle is refused (the allocator did not just hand 0x1000 out); the
 * free of a foreign frame by raw address — what the drop did — is refused as well; nothing changes,
 * and on an allocator in use both allocations succeed with exact totals. (Outside this package the
 * forgery does not compile: see archtests' negative-compilation tests.)
 */
class ForgedFrameTest {

    @Test
    void aForgedFrameAt0x1000IsRefusedAndTheAllocatorInUseCarriesOn() {
        FrameAllocator frames = FrameAllocator.boot(new Machine("b3", PhysAddr.of(0), 64L << 20, List.of(), 1));
        List<Frame<Tracked>> held = new ArrayList<>();
        for (int i = 0; i < 37; i++) { // an allocator in use: its magazines and free lists are not pristine
            held.add(frames.alloc(Usage.KERNEL));
        }
        held.remove(5).close();
        held.remove(20).close();
        held.removeIf(f -> f.addr().equals(PhysAddr.of(0x1000)) && close(f)); // as in Asterinas, 0x1000 is not handed out
        assertEquals(FrameState.UNUSED, frames.info(PhysAddr.of(0x1000)).state());
        AllocatorStats before = frames.stats();

        FrameStateException mint = thrown(FrameStateException.class, () -> Frame.fromUnused(frames, PhysAddr.of(0x1000)),
                "cannot mint a tracked handle for 1 frame(s) at 0x1000", "did not just hand them out", "nothing was changed");
        BadFreeException drop = thrown(BadFreeException.class, () -> frames.raw().dropRaw(PhysAddr.of(0x1000)),
                "bad free of frame 0x1000", "nothing was changed");
        assertEquals(PhysAddr.of(0x1000), drop.addr());
        assertEquals(before, frames.stats(), mint.getMessage());
        assertNull(frames.verify());

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            Segment<Tracked> ten = frames.allocContiguous(Usage.KERNEL, 10);
            Segment<Tracked> hundred = frames.allocContiguous(Usage.KERNEL, 100);
            assertEquals(before.free() - 110, frames.stats().free());
            assertEquals(before.used() + 110, frames.stats().used());
            ten.close();
            hundred.close();
        });
        held.forEach(Frame::close);
        frames.drainCpuCaches();
        assertNull(frames.verify());
    }

    private static boolean close(Frame<Tracked> f) {
        f.close();
        return true;
    }

    @Test
    void mintingIsRefusedForReservedForeignSharedAndAlreadyMintedFrames() {
        FrameAllocator frames = FrameAllocator.boot(TestMachines.riscv64(64L << 20));
        AllocatorStats before = frames.stats();
        thrown(FrameStateException.class, () -> Frame.fromUnused(frames, PhysAddr.of(0x8000_0000L)), "0x80000000", "reserved");
        thrown(FrameStateException.class, () -> Frame.fromUnused(frames, PhysAddr.of(0x1000)), "0x1000", "outside RAM");
        Segment<Tracked> real = frames.allocContiguous(Usage.KERNEL, 4);
        AllocatorStats holding = frames.stats();
        thrown(FrameStateException.class, () -> Frame.fromUnused(frames, real.addr().add(4096)), "did not just hand them out");
        thrown(FrameStateException.class, () -> Segment.fromUnused(frames, real.addr(), 4), "did not just hand them out");
        assertEquals(holding, frames.stats());
        thrown(BadFreeException.class, () -> frames.raw().dropRaw(real.addr().add(4096)), "not the head of an allocated unit");
        thrown(BadFreeException.class, () -> frames.raw().dropRaw(PhysAddr.of(0x8000_0000L)), "reserved");
        real.close();
        frames.drainCpuCaches();
        assertEquals(before, frames.stats());
        assertNull(frames.verify());
    }
}
