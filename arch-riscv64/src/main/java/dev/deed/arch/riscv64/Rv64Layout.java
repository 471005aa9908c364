package dev.deed.arch.riscv64;

import dev.deed.frame.MemRegion;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.spi.MemoryLayout;
import java.util.List;

/**
 * RV64 on a QEMU {@code virt}-like board: RAM at 0x8000_0000 with 2 MiB of firmware (OpenSBI) and a
 * 2 MiB kernel image at its start. Virtual addresses are Sv39's (so Sv48's too): user space below
 * 3 GiB, the kernel image at -2 GiB, kernel stacks at 64 GiB and devices at 128 GiB into the upper
 * half (which starts at 0xFFFF_FFC0_0000_0000).
 */
public final class Rv64Layout implements MemoryLayout {
    private static final long RAM_BASE = 0x8000_0000L;
    private static final long UPPER_HALF = 0xFFFF_FFC0_0000_0000L;

    @Override
    public String arch() {
        return "riscv64";
    }

    @Override
    public String defaultPaging() {
        return "sv39";
    }

    @Override
    public long ramBase() {
        return RAM_BASE;
    }

    @Override
    public long physicalLimit() {
        return PhysAddr.LIMIT; // Sv39 and Sv48 both carry 56-bit physical addresses
    }

    @Override
    public List<MemRegion> reserved(long ramSize) {
        return List.of(new MemRegion("firmware", PhysAddr.of(RAM_BASE), 2L << 20),
                new MemRegion("kernel image", PhysAddr.of(RAM_BASE + (2L << 20)), 2L << 20));
    }

    @Override
    public int pointerBytes() {
        return 8;
    }

    @Override
    public long userTop() {
        return 0xC000_0000L;
    }

    @Override
    public long mmapBase() {
        return 0x4000_0000L;
    }

    @Override
    public long kernelImageBase() {
        return 0xFFFF_FFFF_8000_0000L;
    }

    @Override
    public long kernelStackArea() {
        return UPPER_HALF + (64L << 30);
    }

    @Override
    public long kernelStackAreaSize() {
        return 64L << 30;
    }

    @Override
    public long deviceArea() {
        return UPPER_HALF + (128L << 30);
    }

    @Override
    public long devicePhysical() {
        return 0x1000_0000L; // QEMU virt's UART and the devices after it
    }
}
