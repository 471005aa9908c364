package dev.deed.arch.i386;

import dev.deed.paging.Access;
import dev.deed.paging.CachePolicy;
import dev.deed.paging.FaultKind;
import dev.deed.paging.MmuControl;
import dev.deed.paging.PageProperty;
import dev.deed.paging.Privilege;
import dev.deed.paging.spi.Entry;
import dev.deed.paging.spi.PagingFormat;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The i386 two-level format with PSE. */
public final class I386Paging implements PagingFormat {
    static final long P = 1L;
    static final long RW = 1L << 1;
    static final long US = 1L << 2;
    static final long PWT = 1L << 3;
    static final long PCD = 1L << 4;
    static final long A = 1L << 5;
    static final long D = 1L << 6;
    static final long PS = 1L << 7;
    static final long G = 1L << 8;
    static final int TRACKED_BIT = 9;
    static final long TRACKED = 1L << TRACKED_BIT;
    /** A 4 MiB PDE's bits 21:13: PSE-36 address bits, reserved here. */
    static final long PSE_RESERVED = 0x003F_E000L;
    static final long FRAME_4K = 0xFFFF_F000L;
    static final long FRAME_4M = 0xFFC0_0000L;

    @Override
    public String name() {
        return "i386";
    }

    @Override
    public String arch() {
        return "i386";
    }

    @Override
    public int levels() {
        return 2;
    }

    @Override
    public int entriesPerTable() {
        return 1024;
    }

    @Override
    public int pteBytes() {
        return 4;
    }

    @Override
    public int indexShift(int level) {
        return 12 + 10 * level;
    }

    @Override
    public int paBits() {
        return 32;
    }

    @Override
    public boolean isCanonical(long va) {
        return (va >>> 32) == 0;
    }

    @Override
    public long lowerHalfEnd() {
        return 1L << 32;
    }

    @Override
    public boolean leafAllowed(int level) {
        return level == 0 || level == 1;
    }

    @Override
    public long encodeTable(long tablePa) {
        requirePa(tablePa, 1L << 12, "page table");
        return tablePa | P | RW | US; // the leaves decide the rights
    }

    @Override
    public long encodeLeaf(long pa, PageProperty p, boolean tracked, int level) {
        if (!leafAllowed(level)) {
            throw new IllegalArgumentException("i386 has no leaves at level " + level);
        }
        requirePa(pa, pageSize(level), level == 1 ? "4 MiB page" : "4 KiB page");
        if (!p.read()) {
            throw new IllegalArgumentException("every present i386 page is readable: the rights need r");
        }
        long cache = switch (p.cache()) {
            case WRITE_BACK -> 0;
            case WRITE_THROUGH -> PWT;
            case UNCACHED -> PCD;
        };
        return pa | P | (p.write() ? RW : 0) | (p.user() ? US : 0) | cache | (p.accessed() ? A : 0) | (p.dirty() ? D : 0)
                | (p.global() ? G : 0) | (level == 1 ? PS : 0) | (tracked ? TRACKED : 0);
    }

    @Override
    public Entry decode(long pte, int level, MmuControl control) {
        if ((pte & P) == 0) {
            return new Entry.Absent();
        }
        boolean write = (pte & RW) != 0;
        boolean user = (pte & US) != 0;
        if (level == 1 && (!control.pse() || (pte & PS) == 0)) { // PS is ignored without CR4.PSE
            return new Entry.Table(pte & FRAME_4K, write, user);
        }
        if (level == 1 && (pte & PSE_RESERVED) != 0) {
            return new Entry.Malformed(FaultKind.RESERVED_BITS, "bits 21:13 of a 4 MiB PDE must be zero without PSE-36");
        }
        return new Entry.Leaf(pte & (level == 1 ? FRAME_4M : FRAME_4K), props(pte), (pte & TRACKED) != 0);
    }

    private static PageProperty props(long pte) {
        CachePolicy cache = (pte & PCD) != 0 ? CachePolicy.UNCACHED : (pte & PWT) != 0 ? CachePolicy.WRITE_THROUGH
                : CachePolicy.WRITE_BACK;
        return PageProperty.of(true, (pte & RW) != 0, true, (pte & US) != 0, (pte & G) != 0, (pte & A) != 0, (pte & D) != 0, cache);
    }

    @Override
    public long leafPa(long pte, int level, MmuControl control) {
        if ((pte & P) == 0) {
            return -1;
        }
        if (level == 0) {
            return pte & FRAME_4K;
        }
        return level == 1 && control.pse() && (pte & PS) != 0 && (pte & PSE_RESERVED) == 0 ? pte & FRAME_4M : -1;
    }

    @Override
    public PageProperty leafProps(long pte, int level, MmuControl control) {
        if (leafPa(pte, level, control) < 0) {
            throw new IllegalArgumentException(String.format("0x%x is not a leaf at level %d", pte, level));
        }
        return props(pte);
    }

    @Override
    public long tablePa(long pte, int level, MmuControl control) {
        return (pte & P) != 0 && level == 1 && (!control.pse() || (pte & PS) == 0) ? pte & FRAME_4K : -1;
    }

    @Override
    public int tableRights(long pte, int level, MmuControl control) {
        return tablePa(pte, level, control) < 0 ? 0
                : ((pte & RW) != 0 ? TABLE_WRITE : 0) | ((pte & US) != 0 ? TABLE_USER : 0) | TABLE_EXECUTE;
    }

    @Override
    public long writeProtect(long pte) {
        return pte & ~RW;
    }

    @Override
    public long markAccessed(long pte, boolean leaf, boolean write) {
        return pte | A | (leaf && write ? D : 0);
    }

    @Override
    public long rootRegister(long rootPa, int asid) {
        requirePa(rootPa, 1L << 12, "page directory");
        if (asid != 0) {
            throw new IllegalArgumentException("i386 has no ASIDs; got " + asid);
        }
        return rootPa;
    }

    @Override
    public long rootTable(long register) {
        return (register >>> 32) == 0 ? register & FRAME_4K : -1;
    }

    @Override
    public int asidOf(long register) {
        return 0;
    }

    @Override
    public boolean hasAsids() {
        return false;
    }

    @Override
    public boolean rightsAccumulate() {
        return true;
    }

    @Override
    public int trackingBit() {
        return TRACKED_BIT;
    }

    @Override
    public @Nullable FaultKind check(PageProperty p, Access access, Privilege privilege, MmuControl control) {
        if (privilege == Privilege.USER) {
            if (!p.user()) {
                return FaultKind.SUPERVISOR_PAGE_FROM_USER;
            }
            return access == Access.WRITE && !p.write() ? FaultKind.PERMISSION : null;
        }
        return access == Access.WRITE && !p.write() && control.writeProtect() ? FaultKind.PERMISSION : null;
    }

    private static void requirePa(long pa, long alignment, String what) {
        if (pa < 0 || pa >= 1L << 32 || (pa & (alignment - 1)) != 0) {
            throw new IllegalArgumentException(String.format("%s address 0x%x must be below 4 GiB and aligned to 0x%x",
                    what, pa, alignment));
        }
    }

    @Override
    public String toString() {
        return "i386";
    }

    /** #PF error-code bits: P (a protection violation on a present page), W (a write), U (from user mode), RSVD. */
    static final long PF_P = 1;
    static final long PF_W = 1 << 1;
    static final long PF_U = 1 << 2;
    static final long PF_RSVD = 1 << 3;

    @Override
    public dev.deed.paging.spi.Trap pageFaultTrap(FaultKind kind, long va, Access access, Privilege privilege) {
        long code = 0;
        if (kind != FaultKind.NOT_PRESENT && kind != FaultKind.NO_LEAF) {
            code |= PF_P;
        }
        if (kind == FaultKind.RESERVED_BITS) {
            code |= PF_RSVD;
        }
        if (access == Access.WRITE) {
            code |= PF_W;
        }
        if (privilege == Privilege.USER) {
            code |= PF_U;
        }
        return new dev.deed.paging.spi.Trap(code, va & 0xFFFF_FFFFL); // CR2
    }

    @Override
    public dev.deed.paging.spi.DecodedFault decodePageFault(dev.deed.paging.spi.Trap trap, Privilege from) {
        long code = trap.cause();
        Access access = (code & PF_W) != 0 ? Access.WRITE : Access.READ; // no NX without PAE: a fetch faults as a read
        return new dev.deed.paging.spi.DecodedFault(trap.value(), access, (code & PF_P) != 0, (code & PF_U) != 0);
    }
}
