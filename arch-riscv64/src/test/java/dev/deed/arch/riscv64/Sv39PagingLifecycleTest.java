package dev.deed.arch.riscv64;

import dev.deed.conformance.PagingLifecycleKit;

class Sv39PagingLifecycleTest extends PagingLifecycleKit {
    Sv39PagingLifecycleTest() {
        super("sv39");
    }
}
