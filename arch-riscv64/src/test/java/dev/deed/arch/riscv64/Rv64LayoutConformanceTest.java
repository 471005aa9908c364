package dev.deed.arch.riscv64;

import dev.deed.conformance.MemoryLayoutConformanceKit;

class Rv64LayoutConformanceTest extends MemoryLayoutConformanceKit {
    Rv64LayoutConformanceTest() {
        super("riscv64");
    }
}
