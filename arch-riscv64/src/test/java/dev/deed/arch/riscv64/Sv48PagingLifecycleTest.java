package dev.deed.arch.riscv64;

import dev.deed.conformance.PagingLifecycleKit;

class Sv48PagingLifecycleTest extends PagingLifecycleKit {
    Sv48PagingLifecycleTest() {
        super("sv48");
    }
}
