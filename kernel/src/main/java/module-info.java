/**
 * The kernel and the {@code deed} command-line tool. Arch modules are not required: the paging SPI
 * finds them through service binding when they are on the module path.
 */
module dev.deed.kernel {
    requires transitive dev.deed.procfs;
    requires transitive dev.deed.lifecycle;
    requires info.picocli;
    requires com.fasterxml.jackson.core;
    requires java.compiler;
    requires static org.checkerframework.checker.qual;

    exports dev.deed.kernel.boot;
    exports dev.deed.kernel.image;
    exports dev.deed.kernel.misuse;
    exports dev.deed.kernel.soak;
    opens dev.deed.kernel.cli to info.picocli;
}
