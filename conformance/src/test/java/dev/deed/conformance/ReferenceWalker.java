package dev.deed.conformance;

/**
 * An independent implementation of a format's hardware walk, written from the architecture manuals with raw bit
 * operations and sharing no code with the arch module under test. The conformance kit compares the
 * MMU model against it over random page tables.
 */
public interface ReferenceWalker {

    /** The outcome of one access: the physical address, or the name of the fault ({@code FaultKind} name). */
    record Outcome(long pa, String fault) {
        public static Outcome ok(long pa) {
            return new Outcome(pa, "");
        }

        public static Outcome fault(String kind) {
            return new Outcome(-1, kind);
        }
    }

    /** Physical memory as the walker reads it: a read outside RAM throws {@code dev.deed.frame.InvalidAddressException}. */
    interface Memory {
        long readU64(long pa);

        long readU32(long pa);
    }

    /**
     * Walks for {@code access} ("r", "w" or "x") by {@code user} (else supervisor) with the given
     * control bits (RISC-V: sum, mxr; i386: wp, pse).
     */
    Outcome walk(Memory memory, long rootRegister, long va, String access, boolean user, boolean sum, boolean mxr,
                 boolean wp, boolean pse);
}
