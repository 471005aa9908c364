package dev.deed.frame;

import dev.deed.frame.spi.MemoryLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The simulated machine's memory map: architecture name, RAM, the reserved ranges inside RAM
 * (firmware, kernel image) that the allocator must never hand out, and the CPU count.
 *
 * @param arch     architecture name (an arch module's, or anything for tests)
 * @param ramBase  first byte of RAM, page-aligned
 * @param ramSize  bytes of RAM, a positive multiple of 4 KiB, at most {@link #MAX_RAM}
 * @param reserved ranges inside RAM the allocator never hands out; sorted, non-overlapping
 * @param cpus     simulated CPUs (per-CPU state is kept per CPU)
 */
public record Machine(String arch, PhysAddr ramBase, long ramSize, List<MemRegion> reserved, int cpus) {

    /** Largest simulated RAM: 128 GiB (2^25 frames), set by the width of the frame metadata. */
    public static final long MAX_RAM = 128L << 30;

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

    /**
     * The machine an architecture's {@link MemoryLayout} describes, with {@code ramSize} bytes of RAM
     * and one CPU; refused if RAM would end above what the architecture's paging can address.
     */
    public static Machine of(MemoryLayout layout, long ramSize) {
        long base = layout.ramBase();
        if (ramSize > 0 && base + ramSize > layout.physicalLimit()) {
            throw new IllegalArgumentException(layout.arch() + " RAM of " + ramSize + " bytes from " + PhysAddr.hex(base)
                    + " would end above " + PhysAddr.hex(layout.physicalLimit()) + ", which its paging cannot address");
        }
        return new Machine(layout.arch(), PhysAddr.of(base), ramSize, layout.reserved(ramSize), 1);
    }

    /** The default machine of a named architecture: its arch module's memory layout ({@link MemoryLayouts}). */
    public static Machine defaultFor(String arch, long ramSize) {
        return of(MemoryLayouts.forArch(arch), ramSize);
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
