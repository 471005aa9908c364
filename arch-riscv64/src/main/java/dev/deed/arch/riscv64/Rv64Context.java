package dev.deed.arch.riscv64;

import dev.deed.task.spi.FixedContextLayout;
import java.util.List;

/**
 * RV64 (psABI LP64): callee-saved ra, sp, s0–s11, as xv6's {@code struct context}: 14 × 8 = 112
 * bytes; sp 16-byte aligned at every call.
 */
public final class Rv64Context extends FixedContextLayout {
    private static final List<String> REGISTERS = List.of("ra", "sp", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
            "s8", "s9", "s10", "s11");

    public Rv64Context() {
        super("riscv64", 8, REGISTERS, 16, "ra", "sp");
    }

    @Override
    public String cpuinfo(int cpu, int cpus, String mmu) {
        return "processor\t: " + cpu + "\nhart\t\t: " + cpu + "\nisa\t\t: rv64imac\nmmu\t\t: " + mmu
                + "\nuarch\t\t: deed,simulated\n\n";
    }
}
