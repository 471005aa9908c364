package dev.deed.arch.i386;

import dev.deed.conformance.PagingLifecycleKit;

class I386PagingLifecycleTest extends PagingLifecycleKit {
    I386PagingLifecycleTest() {
        super("i386");
    }
}
