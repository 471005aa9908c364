/** /proc: a read-only file system over the kernel's statistics and the pid table. */
module dev.deed.procfs {
    requires transitive dev.deed.process;
    requires static transitive org.checkerframework.checker.qual;

    exports dev.deed.procfs;
}
