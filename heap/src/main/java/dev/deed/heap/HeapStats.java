package dev.deed.heap;

import java.util.List;

/**
 * A snapshot of the heap.
 *
 * @param liveBlocks      blocks handed out and not freed
 * @param liveBytes       usable bytes of those blocks
 * @param requestedBytes  bytes their callers asked for
 * @param framesHeld      frames the heap holds (slabs, live and cached main blocks)
 * @param cachedMainBlocks freed main blocks kept for reuse
 * @param steps           heap operations so far (the clock poison reports use)
 * @param classes         per size class (slabinfo)
 */
public record HeapStats(long liveBlocks, long liveBytes, long requestedBytes, long framesHeld, int cachedMainBlocks,
                        long steps, List<SlabClassStats> classes) {
    public HeapStats {
        classes = List.copyOf(classes);
    }
}
