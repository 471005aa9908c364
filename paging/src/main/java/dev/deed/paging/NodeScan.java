package dev.deed.paging;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.mem.PhysMemory;

/**
 * The valid entries of one page-table node, read in one pass ({@link PhysMemory#nonZeroWords}): a
 * scratch buffer per level, one set per machine (only one CPU steps at a time, and no paging
 * operation is interrupted by another). A scan's results stay valid until the next scan at the same
 * level, so a walk that scans a node and then recurses into its children keeps its own.
 */
final class NodeScan {
    private final int[][] indexes = new int[8][];
    private final long[][] values = new long[8][];

    static NodeScan of(FrameAllocator frames) {
        return frames.shared(NodeScan.class, f -> new NodeScan());
    }

    /** Reads node {@code table} at {@code level}; returns how many entries are non-zero. */
    int scan(PhysMemory memory, long table, int level, int width, int entries) {
        int[] at = indexes[level];
        if (at == null || at.length < entries) {
            indexes[level] = at = new int[entries];
            values[level] = new long[entries];
        }
        return memory.nonZeroWords(table, width, entries, at, values[level]);
    }

    /** The indexes of the non-zero entries of the node last scanned at {@code level} (the first {@code n} are valid). */
    int[] indexes(int level) {
        return indexes[level];
    }

    /** Their values, in the same order. */
    long[] values(int level) {
        return values[level];
    }
}
