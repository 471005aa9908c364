package dev.deed.frame;

import dev.deed.frame.mem.RawFrames;
import org.checkerframework.checker.mustcall.qual.Owning;

/** The allocator's side of {@link RawFrames}: package-private, reached through {@link FrameAllocator#raw()}. */
final class RawFramesImpl implements RawFrames {
    private final FrameAllocator allocator;

    RawFramesImpl(FrameAllocator allocator) {
        this.allocator = allocator;
    }

    @Override
    @SuppressWarnings("required.method.not.called") // by definition: the obligation moves from the handle to the raw holder
    public PhysAddr intoRaw(@Owning Frame<Tracked> frame) {
        return frame.leak(allocator);
    }

    @Override
    public void requireIntoRaw(Frame<Tracked> frame) {
        frame.requireLeakable(allocator);
    }

    @Override
    public void dropRaw(PhysAddr addr) {
        allocator.releaseUnit(addr.pfn(), 0);
    }

    @Override
    public void shareRaw(PhysAddr addr) {
        allocator.shareUnit(addr.pfn(), 0);
    }

    @Override
    public int references(PhysAddr addr) {
        return allocator.referencesOf(addr.pfn());
    }
}
