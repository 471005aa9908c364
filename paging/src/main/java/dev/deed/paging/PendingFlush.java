package dev.deed.paging;

import dev.deed.frame.PhysAddr;
import dev.deed.frame.mem.RawFrames;
import java.util.Arrays;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;

/**
 * What an unmap, protect or destroy still owes: TLB invalidations on every CPU that may hold the
 * old translations, then the release of the frames its tracked leaves referenced and of the
 * page-table nodes it emptied. {@link #flush} takes no TLB list — it invalidates here and shoots
 * down the others through {@link Cpus}, so no caller can skip a CPU — and the release happens when
 * the last CPU has acknowledged. Until then the frames stay allocated, because a CPU may still
 * translate through them. Must be consumed (Resource Leak Checker); a second flush is refused.
 */
@InheritableMustCall("flush")
public final class PendingFlush {
    /** Beyond this many pages, one address-space flush is cheaper than page-by-page invalidation. */
    static final int PAGE_FLUSH_LIMIT = 32;
    private static final long[] NONE = {};

    private final RawFrames raw;
    private final Cpus cpus;
    private final boolean kernel;
    private final int asid;
    private final long rootPa;
    private final boolean releaseFirst;
    /** The pages to invalidate, the frames and nodes to release: the first of each inline, so a one-page unmap allocates no array. */
    private long page0;
    private long[] pages = NONE;
    private int pageCount;
    private long frame0;
    private long[] frames = NONE;
    private int frameCount;
    private long[] nodes = NONE;
    private int nodeCount;
    private boolean tablesChanged;
    private boolean flushed;
    private boolean released;
    private boolean destroysTable;

    /**
     * A flush of the table rooted at {@code rootPa}; {@code releaseFirst} is the planted
     * {@code B5_FLUSH} order (release, then shoot down), which only the planted path asks for.
     */
    PendingFlush(RawFrames raw, Cpus cpus, boolean kernel, int asid, long rootPa, boolean releaseFirst) {
        this.raw = raw;
        this.cpus = cpus;
        this.kernel = kernel;
        this.asid = asid;
        this.rootPa = rootPa;
        this.releaseFirst = releaseFirst;
    }

    void invalidate(long va) {
        if (pageCount == 0) {
            page0 = va;
        } else {
            pages = append(pages, pageCount - 1, va);
        }
        pageCount++;
    }

    void releaseFrame(long pa) {
        if (frameCount == 0) {
            frame0 = pa;
        } else {
            frames = append(frames, frameCount - 1, pa);
        }
        frameCount++;
    }

    void releaseNode(long pa) {
        nodes = append(nodes, nodeCount++, pa);
        tablesChanged = true;
    }

    /** {@code to} with {@code value} at {@code index}, grown if needed. */
    private static long[] append(long[] to, int index, long value) {
        long[] out = index < to.length ? to : Arrays.copyOf(to, Math.max(4, to.length * 2));
        out[index] = value;
        return out;
    }

    private long page(int i) {
        return i == 0 ? page0 : pages[i - 1];
    }

    private long frame(int i) {
        return i == 0 ? frame0 : frames[i - 1];
    }

    void tablesChanged() {
        tablesChanged = true;
    }

    /** Frames (tracked leaves) that the flush will release. */
    public int framesToRelease() {
        return frameCount;
    }

    /** Page-table nodes that the flush will release. */
    public int nodesToRelease() {
        return nodeCount;
    }

    public boolean isFlushed() {
        return flushed;
    }

    /** Whether its frames and nodes have been released (every targeted CPU has acknowledged). */
    public boolean isReleased() {
        return released;
    }

    /**
     * Invalidates the affected translations on this CPU and shoots them down on every other CPU the
     * table is active on; the frames and nodes are released when the last of them acknowledges (at
     * once if there is none). A changed non-leaf entry, or many pages, costs a whole address-space
     * flush (all entries for a kernel table, whose mappings may be global), as the RISC-V spec
     * requires after non-leaf changes.
     */
    public void flush() {
        if (flushed) {
            throw new IllegalStateException("this pending flush was already performed");
        }
        flushed = true;
        if (releaseFirst) { // the planted PR #1387 order: release, then shoot down — refused while any TLB can reach a frame
            release();
        }
        cpus.shootdown(this, kernel, rootPa);
    }

    /** Invalidates what this flush covers in {@code tlb} (one CPU's part of the shootdown). */
    void invalidate(Tlb tlb) {
        if (tablesChanged || pageCount > PAGE_FLUSH_LIMIT) {
            if (kernel) {
                tlb.invalidateAll();
            } else {
                tlb.invalidateAsid(asid);
            }
        } else {
            for (int i = 0; i < pageCount; i++) {
                tlb.invalidatePage(page(i), kernel ? Tlb.ALL : asid);
            }
        }
    }

    /** Every targeted CPU has acknowledged: releases the frames, then the nodes — refused if any TLB could still reach one. */
    void release() {
        if (released) {
            return;
        }
        for (int i = 0; i < frameCount; i++) {
            if (raw.references(PhysAddr.of(frame(i))) <= 1) { // its last reference (or a bad free): no TLB may reach it
                cpus.requireUnreachable(frame(i), "frame");
            } // a frame another mapping still holds (copy-on-write) may well be cached through that mapping
        }
        for (int i = 0; i < nodeCount; i++) {
            cpus.requireUnreachable(nodes[i], "page-table node");
        }
        released = true;
        for (int i = 0; i < frameCount; i++) {
            raw.dropRaw(PhysAddr.of(frame(i)));
        }
        for (int i = 0; i < nodeCount; i++) {
            raw.dropRaw(PhysAddr.of(nodes[i]));
        }
    }

    /** The table itself goes with this flush: after its targets are known, where it was active is forgotten. */
    void destroysTable() {
        destroysTable = true;
    }

    boolean destroys() {
        return destroysTable;
    }
}
