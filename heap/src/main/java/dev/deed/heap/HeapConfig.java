package dev.deed.heap;

import dev.deed.frame.Machine;

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

    /** Pointer width from the machine's architecture, poisoning every heap with Tilck's pattern. */
    public static HeapConfig forMachine(Machine machine) {
        int width = switch (machine.arch()) {
            case "riscv64" -> 8;
            case "i386" -> 4;
            default -> throw new IllegalArgumentException("no pointer width known for architecture '" + machine.arch()
                    + "'; known: riscv64 (8), i386 (4); build a HeapConfig explicitly");
        };
        return new HeapConfig(width, PoisonPolicy.ALL_HEAPS, TILCK_POISON);
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
