package dev.deed.frame;

import org.checkerframework.checker.mustcall.qual.InheritableMustCall;

/**
 * A handle to one 4 KiB frame. {@code Frame<Tracked>} holds one reference to allocator-owned memory:
 * {@link #share()} adds a reference, {@link #close()} drops this one, and the last close returns the
 * frame. {@code Frame<Untracked>} names memory the allocator does not own; closing it only revokes
 * the handle. After close every use throws {@link RevokedHandleException}.
 *
 * <p>Only {@link FrameAllocator} mints tracked handles, through the package-private
 * {@link #fromUnused}; the class is final, so nothing outside this module can forge or extend one.
 */
@InheritableMustCall("close")
public final class Frame<M extends Tracking> implements AutoCloseable {
    private final FrameAllocator allocator;
    private final long pfn;
    private final boolean tracked;
    private boolean closed;

    private Frame(FrameAllocator allocator, long pfn, boolean tracked) {
        this.allocator = allocator;
        this.pfn = pfn;
        this.tracked = tracked;
    }

    /**
     * Mints a tracked handle for a frame the allocator has just moved from unused to unique.
     * Package-private on purpose (B3), so only code in this package can even try; and even there a
     * mint for memory the allocator did not just hand out is refused at once (the allocator's
     * pending-mint check), before a forged handle could be dropped.
     */
    static Frame<Tracked> fromUnused(FrameAllocator allocator, PhysAddr addr) {
        allocator.consumeMint(addr, 1);
        return new Frame<>(allocator, addr.pfn(), true);
    }

    static Frame<Untracked> untracked(FrameAllocator allocator, PhysAddr addr) {
        return new Frame<>(allocator, addr.pfn(), false);
    }

    public PhysAddr addr() {
        requireOpen();
        return PhysAddr.ofPfn(pfn);
    }

    public boolean isTracked() {
        return tracked;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Another handle to the same frame; for a tracked frame, one more reference. */
    public Frame<M> share() {
        requireOpen();
        if (tracked) {
            allocator.shareUnit(pfn, 0);
        }
        return new Frame<>(allocator, pfn, tracked);
    }

    /** The allocator's view of this frame (state, references, usage). */
    public FrameInfo info() {
        requireOpen();
        return allocator.info(PhysAddr.ofPfn(pfn));
    }

    /**
     * Revokes this handle without dropping its reference, which the caller now holds raw (see
     * {@code RawFrames#intoRaw}); only for tracked frames of {@code owner}.
     */
    PhysAddr leak(FrameAllocator owner) {
        requireLeakable(owner);
        closed = true;
        return PhysAddr.ofPfn(pfn);
    }

    /** What {@link #leak} checks, changing nothing: open, tracked, of {@code owner}, and still allocated. */
    void requireLeakable(FrameAllocator owner) {
        requireOpen();
        if (!tracked || owner != allocator) {
            throw new FrameStateException("cannot hold " + describe() + " raw: it is " + (tracked ? "from another allocator" : "untracked"));
        }
        if (!allocator.isAllocated(pfn)) {
            throw new FrameStateException("cannot hold " + describe() + " raw: the frame is " + allocator.info(PhysAddr.ofPfn(pfn)));
        }
    }

    public int readU8(int offset) {
        return (int) allocator.read(at(offset, 1), 1);
    }

    public void writeU8(int offset, int value) {
        allocator.write(at(offset, 1), value, 1);
    }

    public long readU64(int offset) {
        return allocator.read(at(offset, 8), 8);
    }

    public void writeU64(int offset, long value) {
        allocator.write(at(offset, 8), value, 8);
    }

    /**
     * Drops this handle's reference (for a tracked frame; the last one returns the frame) and revokes
     * the handle. A second close is refused: it would be a double free.
     */
    @Override
    public void close() {
        requireOpen();
        if (tracked) {
            allocator.releaseUnit(pfn, 0);
        }
        closed = true;
    }

    private long at(int offset, int width) {
        requireOpen();
        if (offset < 0 || offset > PhysAddr.PAGE_SIZE - width) {
            throw new IndexOutOfBoundsException("offset " + offset + " (+" + width + ") is outside the 4096-byte frame " + PhysAddr.ofPfn(pfn));
        }
        return (pfn << PhysAddr.PAGE_SHIFT) + offset;
    }

    private void requireOpen() {
        if (closed) {
            throw new RevokedHandleException(describe());
        }
    }

    private String describe() {
        return (tracked ? "tracked" : "untracked") + " frame handle " + PhysAddr.hex(pfn << PhysAddr.PAGE_SHIFT);
    }

    @Override
    public String toString() {
        return describe() + (closed ? " (closed)" : "");
    }
}
