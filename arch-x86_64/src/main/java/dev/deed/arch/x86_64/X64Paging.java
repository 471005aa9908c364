package dev.deed.arch.x86_64;

import dev.deed.paging.Access;
import dev.deed.paging.CachePolicy;
import dev.deed.paging.FaultKind;
import dev.deed.paging.MmuControl;
import dev.deed.paging.PageProperty;
import dev.deed.paging.Privilege;
import dev.deed.paging.spi.DecodedFault;
import dev.deed.paging.spi.Entry;
import dev.deed.paging.spi.PagingFormat;
import dev.deed.paging.spi.Trap;
import org.checkerframework.checker.nullness.qual.Nullable;

/** x86-64 4-level paging (see the package documentation for the bits). */
public final class X64Paging implements PagingFormat {
    /** Physical address bits this machine implements (CPUID.80000008H:EAX[7:0]). */
    static final int MAXPHYADDR = 46;
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
    static final long XD = 1L << 63;
    /** Bits 51:MAXPHYADDR: reserved in every present entry. */
    static final long RESERVED_HIGH = ((1L << 52) - 1) & -(1L << MAXPHYADDR);
    static final long FRAME_4K = ((1L << MAXPHYADDR) - 1) & -(1L << 12);
    static final long FRAME_2M = ((1L << MAXPHYADDR) - 1) & -(1L << 21);
    static final long FRAME_1G = ((1L << MAXPHYADDR) - 1) & -(1L << 30);
    /** A 2 MiB page's bits 20:13 and a 1 GiB page's bits 29:13 (bit 12 is PAT): reserved. */
    static final long LOW_2M = 0x001F_E000L;
    static final long LOW_1G = 0x3FFF_E000L;
    static final int PCIDS = 1 << 12;

    @Override
    public String name() {
        return "x86_64";
    }

    @Override
    public String arch() {
        return "x86_64";
    }

    @Override
    public int levels() {
        return 4;
    }

    @Override
    public int entriesPerTable() {
        return 512;
    }

    @Override
    public int pteBytes() {
        return 8;
    }

    @Override
    public int indexShift(int level) {
        return 12 + 9 * level;
    }

    @Override
    public int paBits() {
        return MAXPHYADDR;
    }

    @Override
    public boolean isCanonical(long va) {
        long top = va >> 47;
        return top == 0 || top == -1;
    }

    @Override
    public long lowerHalfEnd() {
        return 1L << 47;
    }

    @Override
    public boolean leafAllowed(int level) {
        return level >= 0 && level <= 2;
    }

    @Override
    public long encodeTable(long tablePa) {
        requirePa(tablePa, 1L << 12, "page table");
        return tablePa | P | RW | US; // the leaves decide the rights
    }

    @Override
    public long encodeLeaf(long pa, PageProperty p, boolean tracked, int level) {
        if (!leafAllowed(level)) {
            throw new IllegalArgumentException("x86-64 has no leaves at level " + level + " (4 KiB, 2 MiB and 1 GiB pages only)");
        }
        requirePa(pa, pageSize(level), level == 0 ? "4 KiB page" : level == 1 ? "2 MiB page" : "1 GiB page");
        if (!p.read()) {
            throw new IllegalArgumentException("every present x86-64 page is readable: the rights need r");
        }
        long cache = switch (p.cache()) {
            case WRITE_BACK -> 0;
            case WRITE_THROUGH -> PWT;
            case UNCACHED -> PCD;
        };
        return pa | P | (p.write() ? RW : 0) | (p.user() ? US : 0) | cache | (p.accessed() ? A : 0) | (p.dirty() ? D : 0)
                | (p.global() ? G : 0) | (level > 0 ? PS : 0) | (tracked ? TRACKED : 0) | (p.execute() ? 0 : XD);
    }

    @Override
    public Entry decode(long pte, int level, MmuControl control) {
        if ((pte & P) == 0) {
            return new Entry.Absent();
        }
        if ((pte & RESERVED_HIGH) != 0) {
            return new Entry.Malformed(FaultKind.RESERVED_BITS, "bits 51:" + MAXPHYADDR + " are above MAXPHYADDR");
        }
        boolean write = (pte & RW) != 0;
        boolean user = (pte & US) != 0;
        boolean execute = (pte & XD) == 0;
        if (level == 3 && (pte & PS) != 0) {
            return new Entry.Malformed(FaultKind.RESERVED_BITS, "PS is reserved in a PML4 entry");
        }
        if (level == 3 || level > 0 && (pte & PS) == 0) {
            return new Entry.Table(pte & FRAME_4K, write, user, execute);
        }
        long low = level == 1 ? LOW_2M : level == 2 ? LOW_1G : 0;
        if ((pte & low) != 0) {
            return new Entry.Malformed(FaultKind.RESERVED_BITS, level == 1 // constant strings: decode stays small enough to inline
                    ? "the address bits below a 2 MiB page's size must be zero"
                    : "the address bits below a 1 GiB page's size must be zero");
        }
        return new Entry.Leaf(pte & frameMask(level), props(pte), (pte & TRACKED) != 0);
    }

    private static PageProperty props(long pte) {
        CachePolicy cache = (pte & PCD) != 0 ? CachePolicy.UNCACHED : (pte & PWT) != 0 ? CachePolicy.WRITE_THROUGH
                : CachePolicy.WRITE_BACK;
        return PageProperty.of(true, (pte & RW) != 0, (pte & XD) == 0, (pte & US) != 0, (pte & G) != 0, (pte & A) != 0,
                (pte & D) != 0, cache);
    }

    @Override
    public long leafPa(long pte, int level, MmuControl control) {
        if ((pte & P) == 0 || (pte & RESERVED_HIGH) != 0) {
            return -1;
        }
        return switch (level) {
            case 0 -> pte & FRAME_4K;
            case 1 -> (pte & PS) != 0 && (pte & LOW_2M) == 0 ? pte & FRAME_2M : -1;
            case 2 -> (pte & PS) != 0 && (pte & LOW_1G) == 0 ? pte & FRAME_1G : -1;
            default -> -1;
        };
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
        return (pte & P) != 0 && (pte & (RESERVED_HIGH | PS)) == 0 && level > 0 ? pte & FRAME_4K : -1;
    }

    @Override
    public int tableRights(long pte, int level, MmuControl control) {
        return tablePa(pte, level, control) < 0 ? 0
                : ((pte & RW) != 0 ? TABLE_WRITE : 0) | ((pte & US) != 0 ? TABLE_USER : 0) | ((pte & XD) == 0 ? TABLE_EXECUTE : 0);
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
        requirePa(rootPa, 1L << 12, "PML4");
        if (asid < 0 || asid >= PCIDS) {
            throw new IllegalArgumentException("PCID " + asid + " must be in [0, " + PCIDS + ")");
        }
        return rootPa | asid;
    }

    @Override
    public long rootTable(long register) {
        return (register & ~(FRAME_4K | (PCIDS - 1))) == 0 ? register & FRAME_4K : -1;
    }

    @Override
    public int asidOf(long register) {
        return (int) (register & (PCIDS - 1));
    }

    @Override
    public boolean hasAsids() {
        return true;
    }

    @Override
    public int asidCount() {
        return PCIDS;
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
        if (privilege == Privilege.USER && !p.user()) {
            return FaultKind.SUPERVISOR_PAGE_FROM_USER;
        }
        if (access == Access.EXECUTE && !p.execute()) {
            return FaultKind.PERMISSION;
        }
        if (access == Access.WRITE && !p.write() && (privilege == Privilege.USER || control.writeProtect())) {
            return FaultKind.PERMISSION;
        }
        return null;
    }

    /** #PF error-code bits: P (a protection violation on a present page), W, U (from user mode), RSVD, I (a fetch). */
    static final long PF_P = 1;
    static final long PF_W = 1 << 1;
    static final long PF_U = 1 << 2;
    static final long PF_RSVD = 1 << 3;
    static final long PF_I = 1 << 4;

    @Override
    public Trap pageFaultTrap(FaultKind kind, long va, Access access, Privilege privilege) {
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
        if (access == Access.EXECUTE) {
            code |= PF_I;
        }
        if (privilege == Privilege.USER) {
            code |= PF_U;
        }
        return new Trap(code, va); // CR2: the whole linear address
    }

    @Override
    public DecodedFault decodePageFault(Trap trap, Privilege from) {
        long code = trap.cause();
        Access access = (code & PF_I) != 0 ? Access.EXECUTE : (code & PF_W) != 0 ? Access.WRITE : Access.READ;
        return new DecodedFault(trap.value(), access, (code & PF_P) != 0, (code & PF_U) != 0);
    }

    private static long frameMask(int level) {
        return level == 0 ? FRAME_4K : level == 1 ? FRAME_2M : FRAME_1G;
    }

    private static void requirePa(long pa, long alignment, String what) {
        if (pa < 0 || pa >= 1L << MAXPHYADDR || (pa & (alignment - 1)) != 0) {
            throw new IllegalArgumentException(String.format("%s address 0x%x must be below 2^%d and aligned to 0x%x",
                    what, pa, MAXPHYADDR, alignment));
        }
    }

    @Override
    public String toString() {
        return "x86_64";
    }
}
