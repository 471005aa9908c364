/** Deed's deterministic stateful-property engine. It knows nothing about kernels. */
module dev.deed.lifecycle {
    requires static transitive org.checkerframework.checker.qual;

    exports dev.deed.lifecycle;
}
