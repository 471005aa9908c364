/**
 * Tasks, kernel stacks and the scheduler. Arch modules implement the stack SPI
 * ({@link dev.deed.task.spi.ContextLayout}) and are found with {@link java.util.ServiceLoader}.
 */
module dev.deed.task {
    requires transitive dev.deed.paging;
    requires static transitive org.checkerframework.checker.qual;

    exports dev.deed.task;
    exports dev.deed.task.spi;

    uses dev.deed.task.spi.ContextLayout;
}
