package dev.deed.arch.riscv64;

import dev.deed.conformance.ContextConformanceKit;
import java.util.List;

/** RV64 psABI: ra, sp, s0–s11, 112 bytes. */
class Rv64ContextConformanceTest extends ContextConformanceKit {
    Rv64ContextConformanceTest() {
        super("riscv64", List.of("ra", "sp", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11"), 112);
    }
}
