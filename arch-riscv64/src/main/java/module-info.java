/** RISC-V 64: Sv39 and Sv48 page tables (and, with the task module, the RV64 context and stacks). */
@SuppressWarnings("module") // the name is the architecture's own; javac dislikes the terminal digits of "riscv64"
module dev.deed.arch.riscv64 {
    requires dev.deed.paging;
    requires dev.deed.task;
    requires static org.checkerframework.checker.qual;

    provides dev.deed.paging.spi.PagingFormat with dev.deed.arch.riscv64.Sv39, dev.deed.arch.riscv64.Sv48;
    provides dev.deed.frame.spi.MemoryLayout with dev.deed.arch.riscv64.Rv64Layout;
    provides dev.deed.task.spi.ContextLayout with dev.deed.arch.riscv64.Rv64Context;
}
