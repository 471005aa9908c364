package dev.deed.heap;

import dev.deed.frame.Machine;
import dev.deed.frame.MemoryLayouts;

/**
 * How a heap is set up.
 *
 * @param pointerBytes the width of a pointer field on the architecture: 8 (riscv64) or 4 (i386)
 * @param poison       which heaps poison freed blocks
 * @param pattern      the 32-bit poison pattern
 */
public record HeapConfig(int pointerBytes, PoisonPolicy poison, int pattern) {

    /** Tilck's {@code KMALLOC_FREE_MEM_POISON_VAL}. */
    public static final int TILCK_POISON = 0xFAABCAFE;

    public HeapConfig {
        if (pointerBytes != 4 && pointerBytes != 8) {
            throw new IllegalArgumentException("pointer width " + pointerBytes + " must be 4 or 8 bytes");
        }
        java.util.Objects.requireNonNull(poison, "poison");
    }

    /** {@code pointerBytes}-wide pointers, poisoning every heap with Tilck's pattern. */
    public static HeapConfig of(int pointerBytes) {
        return new HeapConfig(pointerBytes, PoisonPolicy.ALL_HEAPS, TILCK_POISON);
    }

    /** Pointer width from the machine's memory layout (its arch module's), poisoning every heap with Tilck's pattern. */
    public static HeapConfig forMachine(Machine machine) {
        return of(MemoryLayouts.forArch(machine.arch()).pointerBytes());
    }

    public HeapConfig withPoison(PoisonPolicy policy) {
        return new HeapConfig(pointerBytes, policy, pattern);
    }

    /** The pattern as a pointer-sized value: what a pointer field of a poisoned struct reads back as. */
    public long poisonPointer() {
        long p = pattern & 0xFFFF_FFFFL;
        return pointerBytes == 8 ? p << 32 | p : p;
    }
}
