/** x86-64: 4-level paging with 4 KiB, 2 MiB and 1 GiB pages (and, with the task module, the System V AMD64 context). */
@SuppressWarnings("module") // the name is the architecture's own; javac dislikes the terminal digits of "x86_64"
module dev.deed.arch.x86_64 {
    requires dev.deed.paging;
    requires dev.deed.task;
    requires static org.checkerframework.checker.qual;

    provides dev.deed.paging.spi.PagingFormat with dev.deed.arch.x86_64.X64Paging;
    provides dev.deed.frame.spi.MemoryLayout with dev.deed.arch.x86_64.X64Layout;
    provides dev.deed.task.spi.ContextLayout with dev.deed.arch.x86_64.X64Context;
}
