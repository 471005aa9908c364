package dev.deed.paging;

/**
 * A virtual address, any 64-bit value; whether it is canonical depends on the paging format, which
 * every page-table and MMU entry point checks. Printed as 16 hex digits (unsigned).
 */
public record VirtAddr(long value) implements Comparable<VirtAddr> {

    public static VirtAddr of(long value) {
        return new VirtAddr(value);
    }

    public boolean isAligned(long alignment) {
        return (value & (alignment - 1)) == 0;
    }

    public VirtAddr add(long offset) {
        return new VirtAddr(value + offset);
    }

    @Override
    public int compareTo(VirtAddr other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return String.format("0x%016x", value);
    }
}
