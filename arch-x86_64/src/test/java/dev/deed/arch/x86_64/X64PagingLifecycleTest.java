package dev.deed.arch.x86_64;

import dev.deed.conformance.PagingLifecycleKit;

class X64PagingLifecycleTest extends PagingLifecycleKit {
    X64PagingLifecycleTest() {
        super("x86_64");
    }
}
