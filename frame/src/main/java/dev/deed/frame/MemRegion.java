package dev.deed.frame;

import java.util.Objects;

/** A named, page-aligned physical range {@code [start, start + size)}. */
public record MemRegion(String name, PhysAddr start, long size) {

    public MemRegion {
        Objects.requireNonNull(name, "name");
        start.requirePageAligned("region '" + name + "' start");
        if (size <= 0 || size % PhysAddr.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("region '" + name + "' size " + size
                    + " must be a positive multiple of 4096");
        }
        if (start.value() + size > PhysAddr.LIMIT || start.value() + size < 0) {
            throw new InvalidAddressException("region '" + name + "' " + start + " + " + size + " runs past the physical address limit");
        }
    }

    public long end() {
        return start.value() + size;
    }

    public boolean contains(long address) {
        return address >= start.value() && address < end();
    }

    public boolean overlaps(long from, long to) {
        return from < end() && to > start.value();
    }

    @Override
    public String toString() {
        return name + " [" + start + ", " + PhysAddr.hex(end()) + ")";
    }
}
