package dev.deed.arch.i386;

import dev.deed.frame.MemRegion;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.spi.FixedMemoryLayout;
import java.util.List;

/**
 * A PC: RAM from 1 MiB (below it is the BIOS/VGA hole) with a 1 MiB kernel image at its start, and
 * at most 4 GiB of physical address space (32-bit paging without PAE); devices in the PCI/APIC hole
 * at 0xFE00_0000. The classic 3 GiB / 1 GiB split: the kernel image at 0xC000_0000, devices at
 * 0xD000_0000, kernel stacks from 0xE000_0000 up to 4 GiB.
 */
public final class I386Layout extends FixedMemoryLayout {
    private static final long RAM_BASE = 0x0010_0000L;

    public I386Layout() {
        super("i386", "i386", RAM_BASE, 1L << 32, List.of(new MemRegion("kernel image", PhysAddr.of(RAM_BASE), 1L << 20)),
                4, new Areas(0xC000_0000L, 0x4000_0000L, 0xC000_0000L, 0xE000_0000L, 1L << 29, 0xD000_0000L),
                0xFE00_0000L);
    }
}
