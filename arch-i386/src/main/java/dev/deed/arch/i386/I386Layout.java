package dev.deed.arch.i386;

import dev.deed.frame.MemRegion;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.spi.MemoryLayout;
import java.util.List;

/**
 * A PC: RAM from 1 MiB (below it is the BIOS/VGA hole) with a 1 MiB kernel image at its start, and
 * at most 4 GiB of physical address space (32-bit paging without PAE). The classic 3 GiB / 1 GiB
 * split: the kernel image at 0xC000_0000, devices at 0xD000_0000, kernel stacks at 0xE000_0000.
 */
public final class I386Layout implements MemoryLayout {
    private static final long RAM_BASE = 0x0010_0000L;

    @Override
    public String arch() {
        return "i386";
    }

    @Override
    public String defaultPaging() {
        return "i386";
    }

    @Override
    public long ramBase() {
        return RAM_BASE;
    }

    @Override
    public long physicalLimit() {
        return 1L << 32;
    }

    @Override
    public List<MemRegion> reserved(long ramSize) {
        return List.of(new MemRegion("kernel image", PhysAddr.of(RAM_BASE), 1L << 20));
    }

    @Override
    public int pointerBytes() {
        return 4;
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
        return 0xC000_0000L;
    }

    @Override
    public long kernelStackArea() {
        return 0xE000_0000L;
    }

    @Override
    public long kernelStackAreaSize() {
        return 1L << 29; // 0xE000_0000 up to 4 GiB
    }

    @Override
    public long deviceArea() {
        return 0xD000_0000L;
    }

    @Override
    public long devicePhysical() {
        return 0xFE00_0000L; // the PCI/APIC hole below 4 GiB
    }
}
