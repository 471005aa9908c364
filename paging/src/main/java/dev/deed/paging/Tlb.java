package dev.deed.paging;

import dev.deed.paging.spi.PagingFormat;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One CPU's TLB: consulted before every walk, filled after a successful one, and emptied only by an
 * explicit flush, so a translation stays usable after its PTE changed until the flush — exactly the
 * window B2 and B5 depend on. Direct-mapped, {@link #SETS} entries per page size; replacement is
 * deterministic.
 */
public final class Tlb {
    public static final int SETS = 16;
    /** {@code asid} value meaning "every address space, global entries included". */
    public static final int ALL = -1;

    /** A cached translation of one page of {@code level}'s size. */
    public record Entry(long vaBase, long paBase, int level, PageProperty props, boolean global, int asid,
                        long ptePa, boolean dirty) {
    }

    private final PagingFormat format;
    private final @Nullable Entry[][] slots;
    private long hits;
    private long misses;

    public Tlb(PagingFormat format) {
        this.format = format;
        this.slots = new Entry[format.levels()][SETS];
    }

    /** The cached translation of {@code va} in address space {@code asid}, or null. */
    public @Nullable Entry lookup(long va, int asid) {
        for (int level = 0; level < slots.length; level++) {
            int shift = format.indexShift(level);
            Entry e = slots[level][(int) ((va >>> shift) & (SETS - 1))];
            if (e != null && (e.vaBase >>> shift) == (va >>> shift) && (e.global || e.asid == asid)) {
                hits++;
                return e;
            }
        }
        misses++;
        return null;
    }

    void insert(Entry e) {
        slots[e.level][(int) ((e.vaBase >>> format.indexShift(e.level)) & (SETS - 1))] = e;
    }

    /** Drops every entry (sfence.vma x0, x0; a CR4.PGE toggle). */
    public void invalidateAll() {
        for (@Nullable Entry[] level : slots) {
            java.util.Arrays.fill(level, null);
        }
    }

    /** Drops the non-global entries of {@code asid} (sfence.vma x0, asid). */
    public void invalidateAsid(int asid) {
        for (@Nullable Entry[] level : slots) {
            for (int i = 0; i < level.length; i++) {
                Entry e = level[i];
                if (e != null && !e.global && e.asid == asid) {
                    level[i] = null;
                }
            }
        }
    }

    /**
     * Drops the entries translating {@code va}: of every address space, globals included, when
     * {@code asid} is {@link #ALL} (sfence.vma va, x0; invlpg), else only {@code asid}'s non-global
     * ones (sfence.vma va, asid).
     */
    public void invalidatePage(long va, int asid) {
        for (int level = 0; level < slots.length; level++) {
            int shift = format.indexShift(level);
            int set = (int) ((va >>> shift) & (SETS - 1));
            Entry e = slots[level][set];
            if (e != null && (e.vaBase >>> shift) == (va >>> shift)
                    && (asid == ALL || (!e.global && e.asid == asid))) {
                slots[level][set] = null;
            }
        }
    }

    /** Drops every non-global entry (i386: a write to CR3). */
    public void invalidateNonGlobal() {
        for (@Nullable Entry[] level : slots) {
            for (int i = 0; i < level.length; i++) {
                Entry e = level[i];
                if (e != null && !e.global) {
                    level[i] = null;
                }
            }
        }
    }

    /** RISC-V {@code sfence.vma rs1, rs2}: {@code va} or null for x0, {@code asid} or null for x0. */
    public void sfenceVma(@Nullable Long va, @Nullable Integer asid) {
        if (va != null) {
            invalidatePage(va, asid == null ? ALL : asid);
        } else if (asid != null) {
            invalidateAsid(asid);
        } else {
            invalidateAll();
        }
    }

    /** i386 {@code invlpg m}. */
    public void invlpg(long va) {
        invalidatePage(va, ALL);
    }

    /**
     * How a cached entry still reaches the 4 KiB page at {@code pa} — it translates to it, or its PTE
     * (for A/D write-back) lies in it — or null if none does.
     */
    @Nullable String reaching(long pa) {
        long page = pa & -4096L;
        for (@Nullable Entry[] level : slots) {
            for (@Nullable Entry e : level) {
                if (e == null) {
                    continue;
                }
                long size = format.pageSize(e.level);
                if (page - e.paBase >= 0 && page - e.paBase < size) {
                    return String.format("translates 0x%x to it", e.vaBase + (page - e.paBase));
                }
                if ((e.ptePa & -4096L) == page) {
                    return String.format("caches 0x%x through a PTE in it", e.vaBase);
                }
            }
        }
        return null;
    }

    /** Entries currently cached. */
    public int size() {
        int n = 0;
        for (@Nullable Entry[] level : slots) {
            for (@Nullable Entry e : level) {
                n += e == null ? 0 : 1;
            }
        }
        return n;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }
}
