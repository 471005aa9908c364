package dev.deed.heap;

/** Which heaps fill freed blocks with the poison pattern. */
public enum PoisonPolicy {
    /** Every heap, small and main: Deed's default, and the fix B1 asks for. */
    ALL_HEAPS,
    /** Only the main heaps: Tilck's policy, under which B1 stayed silent on i386. */
    MAIN_HEAPS_ONLY,
    /** No poisoning (fastest; for benchmarks). */
    OFF;

    boolean poisonsSmall() {
        return this == ALL_HEAPS;
    }

    boolean poisonsMain() {
        return this != OFF;
    }
}
