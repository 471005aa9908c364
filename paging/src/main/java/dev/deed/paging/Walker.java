package dev.deed.paging;

import dev.deed.frame.InvalidAddressException;
import dev.deed.frame.mem.PageViews;
import dev.deed.frame.mem.PhysMemory;
import dev.deed.paging.spi.Entry;
import dev.deed.paging.spi.PagingFormat;

/**
 * The hardware walk of one CPU's MMU: from the root down, an invalid or malformed entry faults, a
 * leaf ends the walk (any level the format allows), a table pointer at the last level faults, a
 * misaligned superpage faults. Rights of table entries are ANDed in where the format says they
 * accumulate. The result of the last walk stays in this object's fields (one walker per MMU, one
 * walk at a time), and entries are tested with the format's allocation-free accessors, so a walk
 * allocates nothing. A walk that ends in a 4 KiB leaf
 * leaves its last-level table in the TLB's paging-structure cache, and the next walk in that table's
 * region starts there (its table entries' accessed bits are set already, as on hardware), reading
 * the entry through a {@link PageViews} slot of its own: one load, not the memory's page index.
 */
final class Walker {
    private final PhysMemory memory;
    private final PagingFormat f;
    private final Tlb tlb;
    /** Where the cached last-level tables' pages live, a slot per paging-structure cache set. */
    private final PageViews views;

    /**
     * The leaf's physical address, its level, and its rights as the tables above leave them — as
     * the interned {@link PageProperty#index}, which the TLB slot keeps too.
     */
    long leafPa;
    int level;
    int effective;
    /** Where the leaf entry is and what it held. */
    long ptePa;
    long pte;
    /** The table entries read on the way, root first: {@code depth} of them. */
    final long[] tablePtePas;
    final long[] tablePtes;
    int depth;
    /**
     * The bits of a 4 KiB leaf entry that hold its frame's address ({@link PagingFormat#leafFrameBits}):
     * two leaves that differ only there have the same rights. The rights of the
     * last 4 KiB leaf decoded are kept with its other bits, the rights above it and the controls, so
     * a walk whose leaf matches them (the common case: pages mapped alike) does not decode again.
     */
    private final long frameBits;
    private long decodedBits = -1;
    private int decodedAbove = -1;
    private MmuControl decodedControl = MmuControl.defaults();
    private int decodedRights;

    Walker(PhysMemory memory, PagingFormat format, Tlb tlb) {
        this.memory = memory;
        this.f = format;
        this.tlb = tlb;
        this.views = memory.views(Tlb.WALK_SETS);
        this.tablePtePas = new long[format.levels()];
        this.tablePtes = new long[format.levels()];
        this.frameBits = format.leafFrameBits();
    }

    /** The rights (a {@link PageProperty#index}) of the 4 KiB leaf {@code entry} below tables that leave {@code above}. */
    private int leafRights(long entry, int above, MmuControl control) {
        long bits = entry & ~frameBits;
        if (bits != decodedBits || above != decodedAbove || control != decodedControl) {
            decodedRights = restrict(f.leafProps(entry, 0, control), above).index();
            decodedBits = bits;
            decodedAbove = above;
            if (decodedControl != control) {
                decodedControl = control;
            }
        }
        return decodedRights;
    }

    void walk(long rootPa, long va, MmuControl control, Access access, Privilege privilege) {
        long table = rootPa;
        int rights = PagingFormat.TABLE_WRITE | PagingFormat.TABLE_USER | PagingFormat.TABLE_EXECUTE;
        boolean accumulate = f.rightsAccumulate();
        depth = 0;
        int start = f.levels() - 1;
        int cached = tlb.walkCached(rootPa, va);
        if (cached >= 0) { // the paging-structure cache: straight to the last-level table
            table = tlb.walkTable(cached);
            rights = tlb.walkRights(cached);
            start = 0;
        }
        for (int level = start; level >= 0; level--) {
            long at = table + (long) f.index(va, level) * f.pteBytes();
            long entry;
            try {
                if (cached >= 0) { // the cached table's page, read through this CPU's view of it (one slot per cached table)
                    entry = f.pteBytes() == 8 ? views.readU64(cached, at) : views.readU32(cached, at);
                } else {
                    entry = f.pteBytes() == 8 ? memory.readU64(at) : memory.readU32(at);
                }
            } catch (InvalidAddressException e) {
                throw new PageFault(FaultKind.ACCESS_FAULT, va, access, privilege,
                        "level " + level + " entry at 0x" + Long.toHexString(at) + " is outside RAM");
            }
            long next = level > 0 ? f.tablePa(entry, level, control) : -1;
            if (next >= 0) {
                if (accumulate) {
                    rights &= f.tableRights(entry, level, control);
                }
                tablePtePas[depth] = at;
                tablePtes[depth++] = entry;
                table = next;
                continue;
            }
            long leafPa = f.leafPa(entry, level, control);
            if (leafPa >= 0) { // the common case, tested without building an entry
                if ((leafPa & (f.pageSize(level) - 1)) != 0) {
                    throw new PageFault(FaultKind.MISALIGNED_SUPERPAGE, va, access, privilege, "level " + level
                            + " leaf maps 0x" + Long.toHexString(leafPa) + ", not aligned to 0x"
                            + Long.toHexString(f.pageSize(level)));
                }
                if (level == 0 && cached < 0) {
                    tlb.rememberWalk(rootPa, va, table, rights);
                }
                this.leafPa = leafPa;
                this.level = level;
                this.effective = level == 0 ? leafRights(entry, rights, control) : restrict(f.leafProps(entry, level, control), rights).index();
                this.ptePa = at;
                this.pte = entry;
                return;
            }
            Entry decoded = f.decode(entry, level, control);
            throw fault(decoded, level, at, entry, va, access, privilege);
        }
        throw new PageFault(FaultKind.NO_LEAF, va, access, privilege, "no leaf");
    }

    /** The fault for a walk that ended at {@code decoded}, not a leaf, read at {@code at} on {@code level}. */
    private static PageFault fault(Entry decoded, int level, long at, long entry, long va, Access access, Privilege privilege) {
        return switch (decoded) {
            case Entry.Absent a -> new PageFault(FaultKind.NOT_PRESENT, va, access, privilege,
                    () -> "level " + level + " entry at 0x" + Long.toHexString(at) + " is not valid");
            case Entry.Malformed m -> new PageFault(m.kind(), va, access, privilege,
                    "level " + level + " entry 0x" + Long.toHexString(entry) + ": " + m.why());
            case Entry.Table t -> new PageFault(FaultKind.NO_LEAF, va, access, privilege,
                    "the last-level entry 0x" + Long.toHexString(entry) + " points to another table");
            case Entry.Leaf leaf -> throw new IllegalStateException("a leaf is not a fault");
        };
    }

    /** {@code p} as the table entries above it leave it ({@code PagingFormat.TABLE_*} bits). */
    static PageProperty restrict(PageProperty p, int rights) {
        if (rights == (PagingFormat.TABLE_WRITE | PagingFormat.TABLE_USER | PagingFormat.TABLE_EXECUTE)) {
            return p;
        }
        return PageProperty.of(p.read(), p.write() && (rights & PagingFormat.TABLE_WRITE) != 0,
                p.execute() && (rights & PagingFormat.TABLE_EXECUTE) != 0, p.user() && (rights & PagingFormat.TABLE_USER) != 0,
                p.global(), p.accessed(), p.dirty(), p.cache());
    }
}
