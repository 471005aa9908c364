/** i386: 32-bit two-level paging with 4 MiB PSE pages (and, with the task module, the i386 context and stacks). */
@SuppressWarnings("module") // the name is the architecture's own; javac dislikes the terminal digits of "i386"
module dev.deed.arch.i386 {
    requires dev.deed.paging;
    requires dev.deed.task;
    requires static org.checkerframework.checker.qual;

    provides dev.deed.paging.spi.PagingFormat with dev.deed.arch.i386.I386Paging;
    provides dev.deed.frame.spi.MemoryLayout with dev.deed.arch.i386.I386Layout;
    provides dev.deed.task.spi.ContextLayout with dev.deed.arch.i386.I386Context;
}
