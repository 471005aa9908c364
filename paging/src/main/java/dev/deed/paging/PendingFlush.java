package dev.deed.paging;

import dev.deed.frame.PhysAddr;
import dev.deed.frame.mem.RawFrames;
import java.util.Arrays;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;

/**
 * What an unmap, protect or destroy still owes: TLB invalidations, then the release of the frames
 * its tracked leaves referenced and of the page-table nodes it emptied. {@link #flush} does both,
 * in that order; until then the frames stay allocated, because a CPU may still translate through
 * them. Must be consumed (Resource Leak Checker); a second flush is refused.
 */
@InheritableMustCall("flush")
public final class PendingFlush {
    /** Beyond this many pages, one address-space flush is cheaper than page-by-page invalidation. */
    static final int PAGE_FLUSH_LIMIT = 32;

    private final RawFrames raw;
    private final boolean kernel;
    private final int asid;
    private long[] pages = new long[8];
    private int pageCount;
    private long[] frames = new long[8];
    private int frameCount;
    private long[] nodes = new long[4];
    private int nodeCount;
    private boolean tablesChanged;
    private boolean flushed;

    PendingFlush(RawFrames raw, boolean kernel, int asid) {
        this.raw = raw;
        this.kernel = kernel;
        this.asid = asid;
    }

    void invalidate(long va) {
        if (pageCount == pages.length) {
            pages = Arrays.copyOf(pages, pageCount * 2);
        }
        pages[pageCount++] = va;
    }

    void releaseFrame(long pa) {
        if (frameCount == frames.length) {
            frames = Arrays.copyOf(frames, frameCount * 2);
        }
        frames[frameCount++] = pa;
    }

    void releaseNode(long pa) {
        if (nodeCount == nodes.length) {
            nodes = Arrays.copyOf(nodes, nodeCount * 2);
        }
        nodes[nodeCount++] = pa;
        tablesChanged = true;
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

    /**
     * Invalidates the affected translations in every given TLB (each CPU that may have used the
     * table), then releases the frames and nodes. A changed non-leaf entry, or many pages, costs a
     * whole address-space flush (all entries for a kernel table, whose mappings may be global), as
     * the RISC-V spec requires after non-leaf changes.
     */
    public void flush(Tlb... tlbs) {
        if (flushed) {
            throw new IllegalStateException("this pending flush was already performed");
        }
        for (Tlb tlb : tlbs) {
            if (tablesChanged || pageCount > PAGE_FLUSH_LIMIT) {
                if (kernel) {
                    tlb.invalidateAll();
                } else {
                    tlb.invalidateAsid(asid);
                }
            } else {
                for (int i = 0; i < pageCount; i++) {
                    tlb.invalidatePage(pages[i], kernel ? Tlb.ALL : asid);
                }
            }
        }
        flushed = true;
        for (int i = 0; i < frameCount; i++) {
            raw.dropRaw(PhysAddr.of(frames[i]));
        }
        for (int i = 0; i < nodeCount; i++) {
            raw.dropRaw(PhysAddr.of(nodes[i]));
        }
    }
}
