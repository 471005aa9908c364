package dev.deed.paging;

import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PhysAddr;
import dev.deed.paging.spi.Entry;
import dev.deed.paging.spi.PagingFormat;

/**
 * The page-table nodes an unmap or protect reserves, before it changes anything, for the superpage
 * splits the ends of its range make — so running out of memory refuses the call with the tree as it
 * was. What the operation does not use goes back at its end.
 */
final class SplitNodes {
    private final PageTable<?> table;
    private final TablePath path;
    private final PagingFormat format;
    private final long[] spare;
    private int spareCount;
    private int spareNext;

    SplitNodes(PageTable<?> table, TablePath path) {
        this.table = table;
        this.path = path;
        this.format = table.format();
        this.spare = new long[2 * format.levels()];
    }

    /**
     * Allocates (all or nothing) one node for every superpage split that {@code [from, from + length)}
     * will make: at each end of the range that cuts a leaf, one per level down to the size the end is
     * aligned to; a leaf cut at both ends is split once.
     */
    void reserve(long from, long length) throws OutOfFramesException {
        spareCount = 0;
        spareNext = 0;
        int wanted = countSplits(from, from, false, 0, 0) + countSplits(from + length - 1, from + length, true, from, from);
        if (wanted == 0) {
            return;
        }
        try {
            for (; spareCount < wanted; spareCount++) {
                spare[spareCount] = table.allocNode();
            }
        } catch (RuntimeException refused) {
            releaseUnused();
            throw refused;
        }
    }

    /**
     * How many splits the leaf holding {@code inside} needs so that {@code boundary} falls between
     * leaves; for the {@code second} end, not counting the ones the first end's leaf (holding
     * {@code otherInside}, cut at {@code otherBoundary}) already needs: a leaf cut at both ends is
     * split once per level.
     */
    private int countSplits(long inside, long boundary, boolean second, long otherInside, long otherBoundary) {
        path.locate(inside);
        if (path.pte == 0 || !(table.decode(path.pte, path.level) instanceof Entry.Leaf)) {
            return 0;
        }
        int n = 0;
        for (int l = path.level; l > 0 && (boundary & (format.pageSize(l) - 1)) != 0; l--) {
            long size = format.pageSize(l);
            boolean counted = second && (otherInside & -size) == (inside & -size)
                    && (otherBoundary & (size - 1)) != 0;
            n += counted ? 0 : 1;
        }
        return n;
    }

    /** Splits the superpage leaf {@code pte} at {@code level} holding {@code va} into a node of next-smaller leaves, one reserved node. */
    void split(long va, int level, long pte, PendingFlush pending) {
        if (spareNext == spareCount) {
            throw new IllegalStateException("a split needed more page-table nodes than were reserved for it");
        }
        table.split(path.node(level), format.index(va, level), level, (Entry.Leaf) table.decode(pte, level), spare[spareNext++]);
        pending.tablesChanged();
        pending.invalidate(va & -format.pageSize(level));
    }

    /** Gives back the reserved nodes no split took. */
    void releaseUnused() {
        while (spareNext < spareCount) {
            table.raw().dropRaw(PhysAddr.of(spare[spareNext++]));
        }
        spareCount = 0;
        spareNext = 0;
    }
}
