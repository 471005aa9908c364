package dev.deed.arch.riscv64;

import dev.deed.paging.Access;
import dev.deed.paging.CachePolicy;
import dev.deed.paging.FaultKind;
import dev.deed.paging.MmuControl;
import dev.deed.paging.PageProperty;
import dev.deed.paging.Privilege;
import dev.deed.paging.spi.Entry;
import dev.deed.paging.spi.PagingFormat;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What Sv39 and Sv48 share: everything but the number of levels, the VA width and satp.MODE. */
abstract sealed class SvFormat implements PagingFormat permits Sv39, Sv48 {
    static final long V = 1L;
    static final long R = 1L << 1;
    static final long W = 1L << 2;
    static final long X = 1L << 3;
    static final long U = 1L << 4;
    static final long G = 1L << 5;
    static final long A = 1L << 6;
    static final long D = 1L << 7;
    static final int TRACKED_BIT = 8;
    static final long TRACKED = 1L << TRACKED_BIT;
    static final long PPN_MASK = (1L << 44) - 1;
    /** Bits 63:54: N, PBMT and the reserved field; all must be zero here. */
    static final long HIGH_BITS = -1L << 54;

    private final String name;
    private final int levels;
    private final int vaBits;
    private final long mode;

    SvFormat(String name, int levels, int vaBits, long mode) {
        this.name = name;
        this.levels = levels;
        this.vaBits = vaBits;
        this.mode = mode;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String arch() {
        return "riscv64";
    }

    @Override
    public int levels() {
        return levels;
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
        return 56;
    }

    @Override
    public boolean isCanonical(long va) {
        long top = va >> (vaBits - 1);
        return top == 0 || top == -1;
    }

    @Override
    public long lowerHalfEnd() {
        return 1L << (vaBits - 1);
    }

    @Override
    public boolean leafAllowed(int level) {
        return level >= 0 && level < levels;
    }

    @Override
    public long encodeTable(long tablePa) {
        requirePa(tablePa, 1L << 12, "page-table node");
        return (tablePa >>> 12) << 10 | V;
    }

    @Override
    public long encodeLeaf(long pa, PageProperty p, boolean tracked, int level) {
        if (!leafAllowed(level)) {
            throw new IllegalArgumentException(name + " has no leaves at level " + level);
        }
        requirePa(pa, pageSize(level), "level-" + level + " page");
        if (p.write() && !p.read()) {
            throw new IllegalArgumentException("W without R is a reserved encoding on RISC-V");
        }
        if (!p.read() && !p.execute()) {
            throw new IllegalArgumentException("a RISC-V leaf needs r or x (X/W/R = 000 points to the next level)");
        }
        if (p.cache() != CachePolicy.WRITE_BACK) {
            throw new IllegalArgumentException(name + " has no cache-policy bits without Svpbmt");
        }
        return (pa >>> 12) << 10 | V | (p.read() ? R : 0) | (p.write() ? W : 0) | (p.execute() ? X : 0)
                | (p.user() ? U : 0) | (p.global() ? G : 0) | (p.accessed() ? A : 0) | (p.dirty() ? D : 0)
                | (tracked ? TRACKED : 0);
    }

    @Override
    public Entry decode(long pte, int level, MmuControl control) {
        if ((pte & V) == 0) {
            return new Entry.Absent();
        }
        if ((pte & HIGH_BITS) != 0) {
            return new Entry.Malformed(FaultKind.RESERVED_BITS, "bits 63:54 must be zero (no Svpbmt or Svnapot)");
        }
        boolean r = (pte & R) != 0;
        boolean w = (pte & W) != 0;
        boolean x = (pte & X) != 0;
        if (w && !r) {
            return new Entry.Malformed(FaultKind.WRITE_WITHOUT_READ, "W=1 with R=0 is reserved");
        }
        long pa = ((pte >>> 10) & PPN_MASK) << 12;
        if (r || x) {
            return new Entry.Leaf(pa, props(pte), (pte & TRACKED) != 0);
        }
        if ((pte & (D | A | U)) != 0) {
            return new Entry.Malformed(FaultKind.RESERVED_BITS, "a non-leaf entry must have D, A and U clear");
        }
        return new Entry.Table(pa, true, true);
    }

    @Override
    public long leafPa(long pte, int level, MmuControl control) {
        boolean leaf = (pte & V) != 0 && (pte & HIGH_BITS) == 0 && (pte & (R | X)) != 0 && ((pte & W) == 0 || (pte & R) != 0);
        return leaf ? ((pte >>> 10) & PPN_MASK) << 12 : -1;
    }

    @Override
    public PageProperty leafProps(long pte, int level, MmuControl control) {
        if (leafPa(pte, level, control) < 0) {
            throw new IllegalArgumentException(String.format("0x%x is not a leaf", pte));
        }
        return props(pte);
    }

    private static PageProperty props(long pte) {
        return PageProperty.of((pte & R) != 0, (pte & W) != 0, (pte & X) != 0, (pte & U) != 0, (pte & G) != 0,
                (pte & A) != 0, (pte & D) != 0, CachePolicy.WRITE_BACK);
    }

    @Override
    public long tablePa(long pte, int level, MmuControl control) {
        return (pte & (V | R | W | X | U | A | D)) == V && (pte & HIGH_BITS) == 0 ? ((pte >>> 10) & PPN_MASK) << 12 : -1;
    }

    @Override
    public int tableRights(long pte, int level, MmuControl control) {
        return tablePa(pte, level, control) >= 0 ? TABLE_WRITE | TABLE_USER | TABLE_EXECUTE : 0; // Sv* tables restrict nothing
    }

    @Override
    public long writeProtect(long pte) {
        return pte & ~W; // R stays: R=1, W=0 is a read-only leaf (W without R would be reserved)
    }

    @Override
    public long markAccessed(long pte, boolean leaf, boolean write) {
        return leaf ? pte | A | (write ? D : 0) : pte;
    }

    @Override
    public long rootRegister(long rootPa, int asid) {
        requirePa(rootPa, 1L << 12, "root table");
        if (asid < 0 || asid > 0xFFFF) {
            throw new IllegalArgumentException("ASID " + asid + " does not fit satp.ASID[59:44]");
        }
        return mode << 60 | (long) asid << 44 | rootPa >>> 12;
    }

    @Override
    public long rootTable(long register) {
        return (register >>> 60) == mode ? (register & PPN_MASK) << 12 : -1;
    }

    @Override
    public int asidOf(long register) {
        return (int) ((register >>> 44) & 0xFFFF);
    }

    @Override
    public boolean hasAsids() {
        return true;
    }

    @Override
    public boolean rightsAccumulate() {
        return false;
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
        if (privilege == Privilege.SUPERVISOR && p.user() && (access == Access.EXECUTE || !control.sum())) {
            return FaultKind.USER_PAGE_FROM_SUPERVISOR;
        }
        boolean allowed = switch (access) {
            case READ -> p.read() || (control.mxr() && p.execute());
            case WRITE -> p.write();
            case EXECUTE -> p.execute();
        };
        return allowed ? null : FaultKind.PERMISSION;
    }

    private void requirePa(long pa, long alignment, String what) {
        if (pa < 0 || pa >= 1L << 56 || (pa & (alignment - 1)) != 0) {
            throw new IllegalArgumentException(String.format("%s address 0x%x must be below 2^56 and aligned to 0x%x",
                    what, pa, alignment));
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** scause for a page fault: 12 on an instruction fetch, 13 on a load, 15 on a store/AMO; stval holds the address. */
    static final long INSTRUCTION_PAGE_FAULT = 12;
    static final long LOAD_PAGE_FAULT = 13;
    static final long STORE_PAGE_FAULT = 15;

    @Override
    public dev.deed.paging.spi.Trap pageFaultTrap(FaultKind kind, long va, Access access, Privilege privilege) {
        long cause = switch (access) {
            case EXECUTE -> INSTRUCTION_PAGE_FAULT;
            case READ -> LOAD_PAGE_FAULT;
            case WRITE -> STORE_PAGE_FAULT;
        };
        return new dev.deed.paging.spi.Trap(cause, va);
    }

    @Override
    public dev.deed.paging.spi.DecodedFault decodePageFault(dev.deed.paging.spi.Trap trap, Privilege from) {
        Access access = switch ((int) trap.cause()) {
            case (int) INSTRUCTION_PAGE_FAULT -> Access.EXECUTE;
            case (int) LOAD_PAGE_FAULT -> Access.READ;
            case (int) STORE_PAGE_FAULT -> Access.WRITE;
            default -> throw new IllegalArgumentException("scause " + trap.cause() + " is not a page fault (12, 13 or 15)");
        };
        return new dev.deed.paging.spi.DecodedFault(trap.value(), access, false, from == Privilege.USER); // Sv* does not say "present"
    }
}
