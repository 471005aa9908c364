package dev.deed.heap;

import dev.deed.frame.Machine;
import dev.deed.frame.PhysAddr;
import java.util.List;

/**
 * Machines for the heap's own tests, which run without arch modules (they are built after it): RAM
 * where the real riscv64 and i386 layouts put it, and their pointer widths.
 */
final class TestMachines {
    private TestMachines() {
    }

    static Machine machine(String arch, long ramSize) {
        return new Machine(arch, PhysAddr.of(arch.equals("i386") ? 0x0010_0000L : 0x8000_0000L), ramSize, List.of(), 1);
    }

    static HeapConfig config(String arch) {
        return HeapConfig.of(arch.equals("i386") ? 4 : 8);
    }
}
