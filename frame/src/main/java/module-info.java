/**
 * Physical memory and the frames in it. Everyone may hold frame handles; only the allocator mints
 * tracked ones. Raw physical memory ({@code dev.deed.frame.mem}) is given by qualified export to
 * the modules that must touch it (page tables, heap, stacks), as they appear, and to archtests,
 * whose conformance kit reads page tables with an independent walker.
 */
@SuppressWarnings("module") // qualified exports name modules built after this one
module dev.deed.frame {
    requires static transitive org.checkerframework.checker.qual;

    exports dev.deed.frame;
    exports dev.deed.frame.spi;

    uses dev.deed.frame.spi.MemoryLayout;
    exports dev.deed.frame.mem to dev.deed.heap, dev.deed.paging, dev.deed.task, dev.deed.process, dev.deed.kernel, dev.deed.archtests,
            dev.deed.conformance;
}
