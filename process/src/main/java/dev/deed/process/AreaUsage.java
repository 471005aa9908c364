package dev.deed.process;

/**
 * How much of one mapping is in memory, from its page-table entries and its frames' reference
 * counts: what {@code smaps} shows.
 *
 * @param area        the mapping
 * @param resident    pages present
 * @param dirty       present pages the MMU has marked dirty (written)
 * @param referenced  present pages the MMU has marked accessed
 * @param shared      present pages whose frame another mapping shares (copy-on-write after fork)
 * @param sharedDirty of those, the dirty ones
 * @param pss         the proportional set size in bytes: each page's 4 KiB divided by the mappings sharing it
 */
public record AreaUsage(VmArea area, long resident, long dirty, long referenced, long shared, long sharedDirty, long pss) {
}
