package dev.deed.frame.mem;

import dev.deed.frame.Frame;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.Tracked;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * Frame references held by something other than a handle: a page-table entry that maps a tracked
 * frame, or that points at a page-table node, holds one reference (as Asterinas' PTEs do). Only the
 * modules that {@code dev.deed.frame.mem} is exported to can reach this; it is the
 * {@code into_raw}/{@code from_raw} pair of a kernel written in Rust.
 */
public interface RawFrames {

    /** Consumes {@code frame}'s handle but keeps its reference, now held by the caller's data structure. */
    PhysAddr intoRaw(@Owning Frame<Tracked> frame);

    /**
     * Checks everything {@link #intoRaw} checks (the handle is open, tracked, of this allocator, and
     * its frame allocated) and changes nothing: validate before allocating anything else.
     */
    void requireIntoRaw(Frame<Tracked> frame);

    /**
     * Drops one reference held raw on the single frame at {@code addr} (the last returns it).
     * A frame that is not allocated as a single frame is refused with a BadFreeException; nothing changes.
     */
    void dropRaw(PhysAddr addr);

    /** Adds one raw reference to the allocated single frame at {@code addr} (e.g. copying a mapping). */
    void shareRaw(PhysAddr addr);

    /** References held on the frame at {@code addr} (0 if it is not allocated, or not RAM). */
    int references(PhysAddr addr);
}
