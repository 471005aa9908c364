package dev.deed.process;

/** A mapped range of an address space: page-aligned {@code [start, end)}, its rights and what it is. */
public record VmArea(long start, long end, Rights rights, String name) {
    public long size() {
        return end - start;
    }
}
