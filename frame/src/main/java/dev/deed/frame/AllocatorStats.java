package dev.deed.frame;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of the allocator, in frames. {@code free + used + reserved == total} always.
 *
 * @param total        RAM frames
 * @param free         unused frames (in buddy lists or magazines)
 * @param used         allocated frames
 * @param reserved     reserved frames
 * @param cached       of the free frames, those in per-CPU magazines
 * @param freeBlocks   free units per order 0…MAX_ORDER in the buddy lists (as /proc/buddyinfo)
 * @param usedByUsage  allocated frames per usage tag
 */
public record AllocatorStats(long total, long free, long used, long reserved, long cached,
                             List<Integer> freeBlocks, Map<Usage, Long> usedByUsage) {

    public AllocatorStats {
        freeBlocks = List.copyOf(freeBlocks);
        usedByUsage = Map.copyOf(usedByUsage);
    }

    public long used(Usage usage) {
        return usedByUsage.getOrDefault(usage, 0L);
    }
}
