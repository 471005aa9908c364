package dev.deed.frame;

import org.checkerframework.checker.mustcall.qual.InheritableMustCall;

/**
 * A handle to a run of physically contiguous frames. {@code Segment<Tracked>} holds one reference
 * to each frame; {@link #close()} drops them, returning the frames when the last reference goes.
 * {@code Segment<Untracked>} names a range the allocator does not own. Revoked after close.
 */
@InheritableMustCall("close")
public final class Segment<M extends Tracking> implements AutoCloseable {
    private final FrameAllocator allocator;
    private final long startPfn;
    private final long frames;
    private final boolean tracked;
    private boolean closed;

    private Segment(FrameAllocator allocator, long startPfn, long frames, boolean tracked) {
        this.allocator = allocator;
        this.startPfn = startPfn;
        this.frames = frames;
        this.tracked = tracked;
    }

    /** Mints a tracked segment for frames the allocator has just allocated. Package-private, as {@link Frame#fromUnused}. */
    static Segment<Tracked> fromUnused(FrameAllocator allocator, PhysAddr start, long frames) {
        allocator.consumeMint(start, frames);
        return new Segment<>(allocator, start.pfn(), frames, true);
    }

    static Segment<Untracked> untracked(FrameAllocator allocator, PhysAddr start, long frames) {
        return new Segment<>(allocator, start.pfn(), frames, false);
    }

    public PhysAddr addr() {
        requireOpen();
        return PhysAddr.ofPfn(startPfn);
    }

    public long frames() {
        return frames;
    }

    public long size() {
        return frames << PhysAddr.PAGE_SHIFT;
    }

    public boolean isTracked() {
        return tracked;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Another handle to the same run; for tracked memory, one more reference to every frame. */
    public Segment<M> share() {
        requireOpen();
        if (tracked) {
            allocator.shareRun(startPfn, frames);
        }
        return new Segment<>(allocator, startPfn, frames, tracked);
    }

    public long readU64(long offset) {
        return allocator.read(at(offset, 8), 8);
    }

    public void writeU64(long offset, long value) {
        allocator.write(at(offset, 8), value, 8);
    }

    @Override
    public void close() {
        requireOpen();
        if (tracked) {
            allocator.releaseRun(startPfn, frames);
        }
        closed = true;
    }

    private long at(long offset, int width) {
        requireOpen();
        if (offset < 0 || offset > size() - width) {
            throw new IndexOutOfBoundsException("offset " + offset + " (+" + width + ") is outside the " + size() + "-byte segment at " + PhysAddr.ofPfn(startPfn));
        }
        return (startPfn << PhysAddr.PAGE_SHIFT) + offset;
    }

    private void requireOpen() {
        if (closed) {
            throw new RevokedHandleException(describe());
        }
    }

    private String describe() {
        return (tracked ? "tracked" : "untracked") + " segment handle " + PhysAddr.hex(startPfn << PhysAddr.PAGE_SHIFT)
                + " (" + frames + " frames)";
    }

    @Override
    public String toString() {
        return describe() + (closed ? " (closed)" : "");
    }
}
