/**
 * The kernel heap. Blocks are handles over simulated physical memory; a block may own child blocks
 * and cannot be freed while one is live. Reads raw memory through frame's qualified export.
 */
module dev.deed.heap {
    requires transitive dev.deed.frame;
    requires static transitive org.checkerframework.checker.qual;

    exports dev.deed.heap;
}
