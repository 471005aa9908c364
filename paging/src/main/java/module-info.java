/**
 * Address spaces over the paging SPI. Arch modules implement {@link dev.deed.paging.spi.PagingFormat}
 * and are found with {@link java.util.ServiceLoader}; page tables live in simulated physical memory
 * (frame's qualified export) and hold their frames as raw references.
 */
module dev.deed.paging {
    requires transitive dev.deed.frame;
    requires static transitive org.checkerframework.checker.qual;

    exports dev.deed.paging;
    exports dev.deed.paging.spi;

    uses dev.deed.paging.spi.PagingFormat;
}
