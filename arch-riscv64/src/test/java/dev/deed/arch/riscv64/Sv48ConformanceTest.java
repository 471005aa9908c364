package dev.deed.arch.riscv64;

import dev.deed.conformance.PagingConformanceKit;

class Sv48ConformanceTest extends PagingConformanceKit {
    Sv48ConformanceTest() {
        super("sv48", new RiscvReference(4, 9));
    }
}
