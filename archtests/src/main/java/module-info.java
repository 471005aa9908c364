/**
 * Deed's architecture tests. The module has no main code: its tests check the module graph,
 * compile misuse snippets that must be rejected, and run cross-module lifecycle properties.
 * It requires every Deed module so that the tests see them as the named modules users see.
 */
@SuppressWarnings("module") // requires the arch modules, whose names end in digits
module dev.deed.archtests {
    requires java.compiler;
    requires dev.deed.lifecycle;
    requires dev.deed.frame;
    requires dev.deed.heap;
    requires dev.deed.paging;
    requires dev.deed.task;
    requires dev.deed.process;
    requires dev.deed.procfs;
    requires dev.deed.arch.riscv64;
    requires dev.deed.arch.i386;
    requires dev.deed.arch.x86_64;
    requires dev.deed.kernel;
}
