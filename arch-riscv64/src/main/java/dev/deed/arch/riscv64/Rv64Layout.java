package dev.deed.arch.riscv64;

import dev.deed.frame.MemRegion;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.spi.FixedMemoryLayout;
import java.util.List;

/**
 * RV64 on a QEMU {@code virt}-like board: RAM at 0x8000_0000 with 2 MiB of firmware (OpenSBI) and a
 * 2 MiB kernel image at its start; 56-bit physical addresses (Sv39 and Sv48 alike). Virtual
 * addresses are Sv39's (so Sv48's too): user space below 3 GiB, the kernel image at -2 GiB, kernel
 * stacks at 64 GiB and devices (QEMU virt's UART onwards, at 0x1000_0000) at 128 GiB into the upper
 * half, which starts at 0xFFFF_FFC0_0000_0000.
 */
public final class Rv64Layout extends FixedMemoryLayout {
    private static final long RAM_BASE = 0x8000_0000L;
    private static final long UPPER_HALF = 0xFFFF_FFC0_0000_0000L;

    public Rv64Layout() {
        super("riscv64", "sv39", RAM_BASE, PhysAddr.LIMIT,
                List.of(new MemRegion("firmware", PhysAddr.of(RAM_BASE), 2L << 20),
                        new MemRegion("kernel image", PhysAddr.of(RAM_BASE + (2L << 20)), 2L << 20)),
                8, new Areas(0xC000_0000L, 0x4000_0000L, 0xFFFF_FFFF_8000_0000L, UPPER_HALF + (64L << 30), 64L << 30,
                        UPPER_HALF + (128L << 30)),
                0x1000_0000L);
    }
}
