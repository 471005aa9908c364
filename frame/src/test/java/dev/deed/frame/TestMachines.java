package dev.deed.frame;

import dev.deed.frame.spi.FixedMemoryLayout;
import java.util.List;

/**
 * Machines for the frame module's own tests, which run without arch modules (they are built after
 * it): layouts of the shapes of the two real ones, RAM and reserved ranges only.
 */
final class TestMachines {
    static final long RISCV64_RAM_BASE = 0x8000_0000L;

    /** A layout with what the frame layer reads; the virtual-address parts are not used here. */
    static final class Layout extends FixedMemoryLayout {
        Layout(String arch, long ramBase, long physicalLimit, List<MemRegion> regions, int pointerBytes) {
            super(arch, arch, ramBase, physicalLimit, regions, pointerBytes, new Areas(0xC000_0000L, 0x4000_0000L, 0, 0, 0, 0), 0);
        }
    }

    static final Layout RV64 = new Layout("riscv64", RISCV64_RAM_BASE, PhysAddr.LIMIT,
            List.of(new MemRegion("firmware", PhysAddr.of(RISCV64_RAM_BASE), 2L << 20),
                    new MemRegion("kernel image", PhysAddr.of(RISCV64_RAM_BASE + (2L << 20)), 2L << 20)), 8);
    static final Layout PC = new Layout("i386", 0x0010_0000L, 1L << 32,
            List.of(new MemRegion("kernel image", PhysAddr.of(0x0010_0000L), 1L << 20)), 4);

    private TestMachines() {
    }

    static Machine riscv64(long ramSize) {
        return Machine.of(RV64, ramSize);
    }

    static Machine i386(long ramSize) {
        return Machine.of(PC, ramSize);
    }
}
