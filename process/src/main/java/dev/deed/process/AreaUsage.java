package dev.deed.process;

/**
 * How much of one mapping is in memory, from its page-table entries: what {@code smaps} shows.
 *
 * @param area       the mapping
 * @param resident   pages present
 * @param dirty      present pages the MMU has marked dirty (written)
 * @param referenced present pages the MMU has marked accessed
 */
public record AreaUsage(VmArea area, long resident, long dirty, long referenced) {
}
