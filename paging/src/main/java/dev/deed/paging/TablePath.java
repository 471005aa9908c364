package dev.deed.paging;

import dev.deed.frame.InvalidAddressException;
import dev.deed.paging.spi.PagingFormat;

/**
 * A cursor's path through one page table: the node at each level on the way to the address it
 * last walked to, valid from its lowest level up to the root. Walking to another address climbs
 * only to the first level whose node differs, then reads downwards from there.
 *
 * <p>The path is a cache of the tree. The table counts the nodes it unlinks ({@link PageTable#unlinks});
 * a path older than the last unlink is read again from the root, so nothing walks into a released
 * node. Linking a node never invalidates a path (its entries are re-read below the cached levels).
 */
final class TablePath {
    private final PageTable<?> table;
    private final PagingFormat format;
    private final int top;
    /** {@code nodes[l]}: the node at level {@code l} on the way to {@link #va}, valid for {@code l >= low}. */
    private final long[] nodes;
    private int low;
    private long va;
    /** {@link PageTable#unlinks} when the path was read. */
    private long seen = -1;
    /** After {@link #locate} (or a {@link #descend} that stopped early): the level and value of the entry that ended the walk. */
    int level;
    long pte;

    TablePath(PageTable<?> table) {
        this.table = table;
        this.format = table.format();
        this.top = format.levels() - 1;
        this.nodes = new long[format.levels()];
    }

    /** The node at {@code level} on the current path (valid for the levels the last walk reached). */
    long node(int at) {
        return nodes[at];
    }

    /**
     * Brings the path down to {@code target} on the way to {@code address}, reusing every node it
     * already holds there. Returns {@code target} if the node at that level exists, else the level at
     * which a non-table entry ended the walk (that entry left in {@link #pte}).
     */
    int descend(long address, int target) {
        long unlinks = table.unlinks();
        if (seen != unlinks) {
            low = top;
            nodes[top] = table.rootPa();
            seen = unlinks;
        } else {
            while (low < top && ((address ^ va) >>> format.indexShift(low + 1)) != 0) {
                low++;
            }
        }
        va = address;
        try {
            while (low > target) {
                long entry = table.readPte(nodes[low], format.index(address, low));
                long next = format.tablePa(entry, low, Cursor.SOFTWARE);
                if (next < 0) {
                    pte = entry;
                    return low;
                }
                nodes[--low] = next;
            }
        } catch (InvalidAddressException corrupt) { // an entry pointing outside RAM: never keep such a path
            seen = -1;
            throw corrupt;
        }
        return target;
    }

    /** Walks to the entry that maps {@code address}: a leaf at some level, or the absent or malformed entry that ends the walk. */
    void locate(long address) {
        int stop = descend(address, 0);
        level = stop;
        if (stop == 0) {
            pte = table.readPte(nodes[0], format.index(address, 0));
        }
    }

    /** A fresh (empty) node was linked on the path: it is the node at {@code at}, and its entries are absent. */
    void extend(int at, long node) {
        nodes[at] = node;
        low = at;
        pte = 0;
    }

    /** The nodes below {@code at} were unlinked by this path's own walk; the ones from {@code at} up are still current. */
    void keepFrom(int at) {
        low = at;
        seen = table.unlinks();
    }
}
