package dev.deed.archtests;

import dev.deed.frame.mem.PhysMemory;
import dev.deed.paging.MmuControl;
import dev.deed.paging.spi.Entry;
import dev.deed.paging.spi.PagingFormat;

/**
 * Finds where a page's leaf entry lives in simulated memory, so a test can corrupt it the way a
 * stray kernel write would — beneath every API, which is the point.
 */
final class Ptes {
    private Ptes() {
    }

    /** The physical address of the PTE that maps {@code va} (a leaf at any level); refused if there is none. */
    static long leafEntry(PhysMemory memory, PagingFormat format, long rootPa, long va) {
        long table = rootPa;
        for (int level = format.levels() - 1; level >= 0; level--) {
            long at = table + (long) format.index(va, level) * format.pteBytes();
            long pte = format.pteBytes() == 8 ? memory.readU64(at) : memory.readU32(at);
            switch (format.decode(pte, level, MmuControl.defaults())) {
                case Entry.Leaf leaf -> {
                    return at;
                }
                case Entry.Table next -> table = next.pa();
                default -> throw new IllegalArgumentException("0x" + Long.toHexString(va) + " is not mapped");
            }
        }
        throw new IllegalArgumentException("0x" + Long.toHexString(va) + " has no leaf");
    }

    /** Zeroes the PTE mapping {@code va}: the page is gone for the MMU, and no page-table code knows. */
    static void clobber(PhysMemory memory, PagingFormat format, long rootPa, long va) {
        long at = leafEntry(memory, format, rootPa, va);
        if (format.pteBytes() == 8) {
            memory.writeU64(at, 0);
        } else {
            memory.writeU32(at, 0);
        }
    }
}
