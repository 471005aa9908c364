package dev.deed.paging;

import dev.deed.frame.InvalidAddressException;
import dev.deed.frame.mem.PhysMemory;
import dev.deed.paging.spi.Entry;
import dev.deed.paging.spi.PagingFormat;

/**
 * The hardware walk: from the root down, an invalid or malformed entry faults, a leaf
 * ends the walk (any level the format allows), a table pointer at the last level faults, a misaligned
 * superpage faults. Rights of table entries are ANDed in where the format says they accumulate.
 */
final class Walker {
    private Walker() {
    }

    /** Where a walk ended: the leaf, its level, the effective rights, and the addresses of the entries read. */
    record Walk(Entry.Leaf leaf, int level, PageProperty effective, long ptePa, long[] tablePtePas) {
    }

    static Walk walk(PhysMemory memory, PagingFormat f, long rootPa, long va, MmuControl control,
                     Access access, Privilege privilege) {
        long table = rootPa;
        boolean writable = true;
        boolean user = true;
        boolean executable = true;
        long[] path = new long[f.levels()];
        int depth = 0;
        for (int level = f.levels() - 1; level >= 0; level--) {
            long ptePa = table + (long) f.index(va, level) * f.pteBytes();
            long pte;
            try {
                pte = f.pteBytes() == 8 ? memory.readU64(ptePa) : memory.readU32(ptePa);
            } catch (InvalidAddressException e) {
                throw new PageFault(FaultKind.ACCESS_FAULT, va, access, privilege,
                        "level " + level + " entry at 0x" + Long.toHexString(ptePa) + " is outside RAM");
            }
            Entry entry = f.decode(pte, level, control);
            switch (entry) {
                case Entry.Absent a -> {
                    int at = level;
                    throw new PageFault(FaultKind.NOT_PRESENT, va, access, privilege,
                            () -> "level " + at + " entry at 0x" + Long.toHexString(ptePa) + " is not valid");
                }
                case Entry.Malformed m -> throw new PageFault(m.kind(), va, access, privilege,
                        "level " + level + " entry 0x" + Long.toHexString(pte) + ": " + m.why());
                case Entry.Table t -> {
                    if (level == 0) {
                        throw new PageFault(FaultKind.NO_LEAF, va, access, privilege,
                                "the last-level entry 0x" + Long.toHexString(pte) + " points to another table");
                    }
                    if (f.rightsAccumulate()) {
                        writable &= t.writable();
                        user &= t.user();
                        executable &= t.executable();
                    }
                    path[depth++] = ptePa;
                    table = t.pa();
                }
                case Entry.Leaf leaf -> {
                    if ((leaf.pa() & (f.pageSize(level) - 1)) != 0) {
                        throw new PageFault(FaultKind.MISALIGNED_SUPERPAGE, va, access, privilege, "level " + level
                                + " leaf maps 0x" + Long.toHexString(leaf.pa()) + ", not aligned to 0x"
                                + Long.toHexString(f.pageSize(level)));
                    }
                    PageProperty p = leaf.props();
                    PageProperty effective = new PageProperty(p.read(), p.write() && writable, p.execute() && executable,
                            p.user() && user, p.global(), p.accessed(), p.dirty(), p.cache());
                    return new Walk(leaf, level, effective, ptePa, java.util.Arrays.copyOf(path, depth));
                }
            }
        }
        throw new PageFault(FaultKind.NO_LEAF, va, access, privilege, "no leaf");
    }
}
