package dev.deed.paging.spi;

import dev.deed.paging.Access;
import dev.deed.paging.FaultKind;
import dev.deed.paging.MmuControl;
import dev.deed.paging.PageProperty;
import dev.deed.paging.Privilege;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One hardware page-table format (Sv39, Sv48, i386 two-level, …). Levels count from 0, the
 * last-level table (4 KiB pages), up to {@code levels() - 1}, the root.
 */
public interface PagingFormat {

    /** Short name used on the command line: {@code sv39}, {@code sv48}, {@code i386}. */
    String name();

    /** The architecture it belongs to: {@code riscv64} or {@code i386}. */
    String arch();

    int levels();

    int entriesPerTable();

    /** Bytes per entry: 8 or 4. */
    int pteBytes();

    /** Bits of the lowest virtual-address bit indexing level {@code level}: 12 + level × index bits. */
    int indexShift(int level);

    /** Physical address bits the format can name. */
    int paBits();

    /** Whether {@code va} is canonical (e.g. Sv39: bits 63:39 equal bit 38). */
    boolean isCanonical(long va);

    /** The exclusive upper end of the lower canonical half (2^38 for Sv39, 2^32 for i386). */
    long lowerHalfEnd();

    /** Whether a leaf may sit at {@code level} (a supported page size). */
    boolean leafAllowed(int level);

    long encodeTable(long tablePa);

    /** @throws IllegalArgumentException if the format cannot express {@code props} or the address */
    long encodeLeaf(long pa, PageProperty props, boolean tracked, int level);

    /** Decodes an entry at {@code level} as the hardware would under {@code control}. */
    Entry decode(long pte, int level, MmuControl control);

    /**
     * The frame {@code pte} maps if, at {@code level}, it is a well-formed tracked leaf as the
     * kernel's own walks see it ({@link MmuControl#defaults}), else -1. The allocation-free test the
     * whole-table walks (fork's share, destroy) make for every entry: {@link #leafPa} under the
     * defaults, for an entry with the {@link #trackingBit} set.
     */
    default long trackedLeafFrame(long pte, int level) {
        return (pte >>> trackingBit() & 1) == 0 ? -1 : leafPa(pte, level, MmuControl.defaults());
    }

    /** {@link #tableRights} bit: the subtree may be written. */
    int TABLE_WRITE = 1;
    /** {@link #tableRights} bit: the subtree may be reached from user mode. */
    int TABLE_USER = 2;
    /** {@link #tableRights} bit: the subtree may be executed. */
    int TABLE_EXECUTE = 4;

    /**
     * The next-level table {@code pte} points to at {@code level} under {@code control}, or -1 if it
     * is not a well-formed table pointer there. The allocation-free test every walk (the MMU's and the
     * cursor's) makes at each level; it must agree with {@link #decode}. The default asks decode; an
     * arch overrides it with a bit test.
     */
    default long tablePa(long pte, int level, MmuControl control) {
        return decode(pte, level, control) instanceof Entry.Table t ? t.pa() : -1;
    }

    /**
     * What the table entry {@code pte} leaves to its subtree, as {@code TABLE_*} bits (0 if it is
     * not a table entry); all three where rights do not accumulate. Must agree with {@link #decode}.
     */
    default int tableRights(long pte, int level, MmuControl control) {
        return decode(pte, level, control) instanceof Entry.Table t
                ? (t.writable() ? TABLE_WRITE : 0) | (t.user() ? TABLE_USER : 0) | (t.executable() ? TABLE_EXECUTE : 0)
                : 0;
    }

    /**
     * The address the leaf {@code pte} maps at {@code level} under {@code control}, or -1 if it is
     * not a well-formed leaf there: the MMU's allocation-free test at the end of a walk. Must agree
     * with {@link #decode}; the default asks it.
     */
    default long leafPa(long pte, int level, MmuControl control) {
        return decode(pte, level, control) instanceof Entry.Leaf leaf ? leaf.pa() : -1;
    }

    /**
     * The rights and attributes of the leaf {@code pte} (one with {@link #leafPa} ≥ 0), as
     * {@link #decode} gives them, without building an entry. Implementations return the shared
     * values of {@link PageProperty#of}.
     *
     * @throws IllegalArgumentException if {@code pte} is not a well-formed leaf at {@code level}
     */
    default PageProperty leafProps(long pte, int level, MmuControl control) {
        if (decode(pte, level, control) instanceof Entry.Leaf leaf) {
            return leaf.props();
        }
        throw new IllegalArgumentException(String.format("0x%x is not a leaf at level %d", pte, level));
    }

    /**
     * The bits of a 4 KiB leaf entry that hold its frame address: two well-formed 4 KiB leaves that
     * differ only there have the same {@link #leafProps}, which the MMU model relies on to decode the
     * rights of alike leaves once (the conformance kit checks it). The default finds them by encoding
     * the lowest and the highest frame.
     */
    default long leafFrameBits() {
        PageProperty p = PageProperty.kernelData();
        return encodeLeaf(((1L << paBits()) - 1) & -4096L, p, false, 0) ^ encodeLeaf(0, p, false, 0);
    }

    /** The leaf entry {@code pte} with write permission cleared and every other bit as it was (fork's copy-on-write). */
    long writeProtect(long pte);

    /** The entry with its accessed bit (and, for a write to a leaf, its dirty bit) set. */
    long markAccessed(long pte, boolean leaf, boolean write);

    /** The root register value (satp / CR3) for a root table at {@code rootPa} in address space {@code asid}. */
    long rootRegister(long rootPa, int asid);

    /** The root table's physical address named by a root register, or -1 if the register does not enable this format. */
    long rootTable(long register);

    /** The address-space id named by a root register (0 where there are none). */
    int asidOf(long register);

    /** Whether the format has address-space ids (RISC-V satp.ASID, x86-64 PCIDs; i386 has none). */
    boolean hasAsids();

    /** How many address-space ids the root register can name (RISC-V: 2^16; 0 without ASIDs). */
    default int asidCount() {
        return hasAsids() ? 1 << 16 : 0;
    }

    /** Whether table entries' rights restrict their subtree (i386: R/W and U/S are ANDed across levels). */
    boolean rightsAccumulate();

    /** The software-available PTE bit that records tracked (1) or untracked (0). */
    int trackingBit();

    /** Null if a leaf with these effective rights allows the access, else why not. */
    @Nullable FaultKind check(PageProperty effective, Access access, Privilege privilege, MmuControl control);

    default long pageSize(int level) {
        return 1L << indexShift(level);
    }

    default int index(long va, int level) {
        return (int) ((va >>> indexShift(level)) & (entriesPerTable() - 1));
    }

    /**
     * The trap this format's hardware raises for a page fault of {@code kind} at {@code va} on
     * {@code access} from {@code privilege} (RISC-V {@code scause}/{@code stval}; i386 #PF error code
     * and CR2).
     */
    Trap pageFaultTrap(FaultKind kind, long va, Access access, Privilege privilege);

    /** Decodes a trap this format raised: what the kernel's fault handler is told. */
    DecodedFault decodePageFault(Trap trap, Privilege from);
}
