/** Processes over tasks, address spaces and the kernel heap; the syscall surface workloads call. */
module dev.deed.process {
    requires transitive dev.deed.task;
    requires transitive dev.deed.heap;
    requires static transitive org.checkerframework.checker.qual;

    exports dev.deed.process;
}
