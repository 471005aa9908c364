package dev.deed.frame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The simulated machine's memory map: architecture name, RAM, the reserved ranges inside RAM
 * (firmware, kernel image) that the allocator must never hand out, and the CPU count.
 *
 * @param arch     architecture name ({@code riscv64}, {@code i386}, or anything for tests)
 * @param ramBase  first byte of RAM, page-aligned
 * @param ramSize  bytes of RAM, a positive multiple of 4 KiB, at most {@link #MAX_RAM}
 * @param reserved ranges inside RAM the allocator never hands out; sorted, non-overlapping
 * @param cpus     simulated CPUs (per-CPU state is kept per CPU)
 */
public record Machine(String arch, PhysAddr ramBase, long ramSize, List<MemRegion> reserved, int cpus) {

    /** Largest simulated RAM: 128 GiB (2^25 frames), set by the width of the frame metadata. */
    public static final long MAX_RAM = 128L << 30;

    public static final long RISCV64_RAM_BASE = 0x8000_0000L;
    public static final long I386_RAM_BASE = 0x0010_0000L;

    public Machine {
        Objects.requireNonNull(arch, "arch");
        ramBase.requirePageAligned("RAM base");
        if (ramSize <= 0 || ramSize % PhysAddr.PAGE_SIZE != 0 || ramSize > MAX_RAM) {
            throw new IllegalArgumentException("RAM size " + ramSize + " must be a positive multiple of 4096 of at most "
                    + (MAX_RAM >> 30) + " GiB");
        }
        if (ramBase.value() + ramSize > PhysAddr.LIMIT) {
            throw new InvalidAddressException("RAM " + ramBase + " + " + ramSize + " runs past the physical address limit");
        }
        if (cpus < 1 || cpus > 64) {
            throw new IllegalArgumentException("CPU count " + cpus + " must be in [1, 64]");
        }
        List<MemRegion> sorted = new ArrayList<>(reserved);
        sorted.sort(Comparator.comparingLong(r -> r.start().value()));
        long ramEnd = ramBase.value() + ramSize;
        for (int i = 0; i < sorted.size(); i++) {
            MemRegion r = sorted.get(i);
            if (r.start().value() < ramBase.value() || r.end() > ramEnd) {
                throw new InvalidAddressException("reserved region " + r + " is not inside RAM ["
                        + ramBase + ", " + PhysAddr.hex(ramEnd) + ")");
            }
            if (i > 0 && sorted.get(i - 1).end() > r.start().value()) {
                throw new IllegalArgumentException("reserved regions " + sorted.get(i - 1) + " and " + r + " overlap");
            }
        }
        reserved = List.copyOf(sorted);
    }

    /** QEMU {@code virt}-like: RAM at 0x8000_0000, 2 MiB of firmware (OpenSBI), then a 2 MiB kernel image. */
    public static Machine riscv64(long ramSize) {
        long base = RISCV64_RAM_BASE;
        return new Machine("riscv64", PhysAddr.of(base), ramSize, List.of(
                new MemRegion("firmware", PhysAddr.of(base), 2L << 20),
                new MemRegion("kernel image", PhysAddr.of(base + (2L << 20)), 2L << 20)), 1);
    }

    /**
     * PC-like: RAM from 1 MiB (below it is the BIOS/VGA hole), a 1 MiB kernel image at the start, and
     * at most 4 GiB of physical address space (32-bit paging without PAE).
     */
    public static Machine i386(long ramSize) {
        long base = I386_RAM_BASE;
        if (base + ramSize > 1L << 32) {
            throw new IllegalArgumentException("i386 RAM of " + ramSize + " bytes from " + PhysAddr.hex(base)
                    + " would end above 4 GiB, which 32-bit paging cannot address");
        }
        return new Machine("i386", PhysAddr.of(base), ramSize, List.of(
                new MemRegion("kernel image", PhysAddr.of(base), 1L << 20)), 1);
    }

    /** The default machine of a named architecture ({@code riscv64} or {@code i386}). */
    public static Machine defaultFor(String arch, long ramSize) {
        return switch (arch) {
            case "riscv64" -> riscv64(ramSize);
            case "i386" -> i386(ramSize);
            default -> throw new IllegalArgumentException("no default machine for architecture '" + arch
                    + "'; known: riscv64, i386");
        };
    }

    /** The same machine with {@code n} CPUs. */
    public Machine withCpus(int n) {
        return new Machine(arch, ramBase, ramSize, reserved, n);
    }

    public long ramEnd() {
        return ramBase.value() + ramSize;
    }

    public long frames() {
        return ramSize >>> PhysAddr.PAGE_SHIFT;
    }

    public boolean inRam(long address) {
        return address >= ramBase.value() && address < ramEnd();
    }
}
