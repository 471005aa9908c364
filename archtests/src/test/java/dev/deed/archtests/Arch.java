package dev.deed.archtests;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.PhysAddr;
import dev.deed.paging.PagingFormats;
import dev.deed.paging.spi.PagingFormat;
import java.util.List;

/**
 * A paging format with its default machine and addresses that suit it: where kernel and user
 * mappings go, and a physical range outside RAM to map untracked (MMIO-like).
 */
record Arch(PagingFormat format, long ramSize, long kernelVa, long userVa, long mmioPa) {
    static final long MIB = 1L << 20;

    static Arch named(String name) {
        PagingFormat f = PagingFormats.named(name);
        return switch (name) {
            case "sv39" -> new Arch(f, 256 * MIB, 0xFFFF_FFC0_0000_0000L, 0x40_0000L, 0x1_0000_0000L);
            case "sv48" -> new Arch(f, 256 * MIB, 0xFFFF_8000_0000_0000L, 0x40_0000L, 0x1_0000_0000L);
            case "i386" -> new Arch(f, 256 * MIB, 0xC000_0000L, 0x40_0000L, 0xC000_0000L);
            case "x86_64" -> new Arch(f, 256 * MIB, 0xFFFF_8000_0000_0000L, 0x40_0000L, 0x1_0000_0000L);
            default -> throw new IllegalArgumentException("no test setup for " + name);
        };
    }

    /** The names the parameterised tests run over. */
    static List<String> names() {
        return List.of("sv39", "sv48", "i386", "x86_64");
    }

    Machine machine() {
        return Machine.defaultFor(format.arch(), ramSize);
    }

    FrameAllocator boot() {
        return FrameAllocator.boot(machine());
    }

    /** The largest leaf size below the root level (1 GiB on Sv39/Sv48/x86-64, 4 MiB on i386). */
    long bigPage() {
        return format.pageSize(format.levels() == 2 ? 1 : 2);
    }

    /** Second-largest leaf size usable for superpage tests (2 MiB on RISC-V, 4 MiB on i386). */
    long superPage() {
        return format.pageSize(1);
    }

    PhysAddr mmio(long offset) {
        return PhysAddr.of(mmioPa + offset);
    }

    @Override
    public String toString() {
        return format.name();
    }
}
