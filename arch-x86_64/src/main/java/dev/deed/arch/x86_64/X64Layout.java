package dev.deed.arch.x86_64;

import dev.deed.frame.MemRegion;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.spi.FixedMemoryLayout;
import java.util.List;

/**
 * A PC in long mode: RAM from 1 MiB (below it is the BIOS/VGA hole) with a 2 MiB kernel image at its
 * start, 46-bit physical addresses, devices in the PCI/APIC hole at 0xFE00_0000. Virtual: user space
 * below 3 GiB, the kernel image at -2 GiB (as Linux's {@code __START_KERNEL_map}), kernel stacks and
 * device mappings in the upper half, which starts at 0xFFFF_8000_0000_0000.
 */
public final class X64Layout extends FixedMemoryLayout {
    private static final long RAM_BASE = 0x0010_0000L;
    private static final long UPPER_HALF = 0xFFFF_8000_0000_0000L;

    public X64Layout() {
        super("x86_64", "x86_64", RAM_BASE, 1L << X64Paging.MAXPHYADDR,
                List.of(new MemRegion("kernel image", PhysAddr.of(RAM_BASE), 2L << 20)),
                8, new Areas(0xC000_0000L, 0x4000_0000L, 0xFFFF_FFFF_8000_0000L, UPPER_HALF + (64L << 30), 64L << 30,
                        UPPER_HALF + (128L << 30)),
                0xFE00_0000L);
    }
}
