/**
 * Deed's architecture tests. The module has no main code: its tests check the module graph,
 * compile misuse snippets that must be rejected, and run cross-module lifecycle properties.
 */
module dev.deed.archtests {
    requires dev.deed.lifecycle;
}
