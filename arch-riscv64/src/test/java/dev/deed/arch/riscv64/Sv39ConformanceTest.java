package dev.deed.arch.riscv64;

import dev.deed.conformance.PagingConformanceKit;

class Sv39ConformanceTest extends PagingConformanceKit {
    Sv39ConformanceTest() {
        super("sv39", new RiscvReference(3, 8));
    }
}
