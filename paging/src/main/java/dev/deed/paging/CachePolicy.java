package dev.deed.paging;

/** Memory type of a mapping, where the architecture has bits for it (i386: PWT/PCD). */
public enum CachePolicy {
    WRITE_BACK,
    WRITE_THROUGH,
    UNCACHED
}
