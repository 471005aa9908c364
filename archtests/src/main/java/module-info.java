/**
 * Deed's architecture tests. The module has no main code: its tests check the module graph,
 * compile misuse snippets that must be rejected, and run cross-module lifecycle properties.
 * It requires every Deed module so that the tests see them as the named modules users see.
 */
module dev.deed.archtests {
    requires java.compiler;
    requires dev.deed.lifecycle;
    requires dev.deed.frame;
    requires dev.deed.heap;
}
