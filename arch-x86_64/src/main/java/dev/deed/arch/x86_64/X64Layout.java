package dev.deed.arch.x86_64;

import dev.deed.frame.MemRegion;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.spi.MemoryLayout;
import java.util.List;

/**
 * A PC in long mode: RAM from 1 MiB (below it is the BIOS/VGA hole) with a 2 MiB kernel image at its
 * start, 46-bit physical addresses. Virtual: user space below 3 GiB, the kernel image at -2 GiB (as
 * Linux's {@code __START_KERNEL_map}), kernel stacks and device mappings in the upper half, which
 * starts at 0xFFFF_8000_0000_0000.
 */
public final class X64Layout implements MemoryLayout {
    private static final long RAM_BASE = 0x0010_0000L;
    private static final long UPPER_HALF = 0xFFFF_8000_0000_0000L;

    @Override
    public String arch() {
        return "x86_64";
    }

    @Override
    public String defaultPaging() {
        return "x86_64";
    }

    @Override
    public long ramBase() {
        return RAM_BASE;
    }

    @Override
    public long physicalLimit() {
        return 1L << X64Paging.MAXPHYADDR;
    }

    @Override
    public List<MemRegion> reserved(long ramSize) {
        return List.of(new MemRegion("kernel image", PhysAddr.of(RAM_BASE), 2L << 20));
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
        return 0xFE00_0000L; // the PCI/APIC hole below 4 GiB
    }
}
