package dev.deed.frame;

/**
 * A physical address: non-negative and below 2^56 (the widest physical address space Deed
 * simulates, RISC-V's). Printed in hex.
 */
public record PhysAddr(long value) implements Comparable<PhysAddr> {

    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    public static final long LIMIT = 1L << 56;

    public PhysAddr {
        if (value < 0 || value >= LIMIT) {
            throw new InvalidAddressException(String.format(
                    "physical address %s is out of range: it must be in [0, 0x%x)", hex(value), LIMIT));
        }
    }

    public static PhysAddr of(long value) {
        return new PhysAddr(value);
    }

    /** The address of page frame {@code pfn}. */
    public static PhysAddr ofPfn(long pfn) {
        if (pfn < 0 || pfn >= LIMIT >>> PAGE_SHIFT) {
            throw new InvalidAddressException("page frame number " + pfn + " is out of range");
        }
        return new PhysAddr(pfn << PAGE_SHIFT);
    }

    public long pfn() {
        return value >>> PAGE_SHIFT;
    }

    public boolean isAligned(long alignment) {
        requirePowerOfTwo(alignment);
        return (value & (alignment - 1)) == 0;
    }

    public boolean isPageAligned() {
        return isAligned(PAGE_SIZE);
    }

    public PhysAddr alignDown(long alignment) {
        requirePowerOfTwo(alignment);
        return new PhysAddr(value & -alignment);
    }

    public PhysAddr alignUp(long alignment) {
        requirePowerOfTwo(alignment);
        return new PhysAddr(Math.addExact(value, alignment - 1) & -alignment);
    }

    public PhysAddr add(long offset) {
        return new PhysAddr(Math.addExact(value, offset));
    }

    /** Throws unless the address is page-aligned; {@code what} names it in the message. */
    public PhysAddr requirePageAligned(String what) {
        if (!isPageAligned()) {
            throw new InvalidAddressException(what + " " + this + " is not 4 KiB-aligned");
        }
        return this;
    }

    @Override
    public int compareTo(PhysAddr other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return hex(value);
    }

    /** {@code v} in hex with a {@code 0x} prefix, the way every Deed message prints addresses. */
    public static String hex(long v) {
        return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
    }

    private static void requirePowerOfTwo(long alignment) {
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment " + alignment + " is not a positive power of two");
        }
    }
}
