package dev.deed.paging;

import dev.deed.paging.spi.PagingFormat;
import java.util.Arrays;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One CPU's TLB: consulted before every walk, filled after a successful one, and emptied only by an
 * explicit flush, so a translation stays usable after its PTE changed until the flush — exactly the
 * window B2 and B5 depend on. Direct-mapped, {@link #SETS} entries per page size; replacement is
 * deterministic.
 *
 * <p>Entries live in flat arrays (slot = level × SETS + set), so a lookup or a fill allocates
 * nothing. A counting filter over the 4 KiB pages the entries translate to (4 KiB entries) or read
 * their PTE from (all entries) lets the release check ({@link #reaching}) answer "nothing here" without
 * scanning, which every frame release asks of every CPU.
 */
public final class Tlb {
    public static final int SETS = 16;
    /** {@code asid} value meaning "every address space, global entries included". */
    public static final int ALL = -1;
    private static final int FILTER = 256;

    /** A cached translation of one page of {@code level}'s size. */
    public record Entry(long vaBase, long paBase, int level, PageProperty props, boolean global, int asid,
                        long ptePa, boolean dirty) {
    }

    private final PagingFormat format;
    private final int[] shifts;
    private final boolean[] valid;
    private final long[] vaBase;
    private final long[] paBase;
    private final @Nullable PageProperty[] props;
    private final boolean[] global;
    private final int[] asid;
    private final long[] ptePa;
    private final boolean[] dirty;
    /** Valid entries per hash of a 4 KiB page they reach (see the class comment). */
    private final int[] filter = new int[FILTER];
    /** Valid entries above the last level: their translations cover more than one page, so the filter cannot answer for them. */
    private int superEntries;
    private long hits;
    private long misses;

    public Tlb(PagingFormat format) {
        this.format = format;
        int slots = format.levels() * SETS;
        this.shifts = new int[format.levels()];
        for (int level = 0; level < shifts.length; level++) {
            shifts[level] = format.indexShift(level);
        }
        this.valid = new boolean[slots];
        this.vaBase = new long[slots];
        this.paBase = new long[slots];
        this.props = new PageProperty[slots];
        this.global = new boolean[slots];
        this.asid = new int[slots];
        this.ptePa = new long[slots];
        this.dirty = new boolean[slots];
    }

    /** The cached translation of {@code va} in address space {@code asid}, or null. */
    public @Nullable Entry lookup(long va, int asid) {
        int i = find(va, asid);
        if (i < 0) {
            return null;
        }
        return new Entry(vaBase[i], paBase[i], level(i), props(i), global[i], this.asid[i], ptePa[i], dirty[i]);
    }

    /** The slot caching {@code va} in address space {@code asid}, or -1 (counted as a hit or a miss). */
    int find(long va, int space) {
        for (int level = 0; level < shifts.length; level++) {
            int shift = shifts[level];
            int i = level * SETS + (int) ((va >>> shift) & (SETS - 1));
            if (valid[i] && (vaBase[i] >>> shift) == (va >>> shift) && (global[i] || asid[i] == space)) {
                hits++;
                return i;
            }
        }
        misses++;
        return -1;
    }

    int level(int slot) {
        return slot / SETS;
    }

    long paBase(int slot) {
        return paBase[slot];
    }

    PageProperty props(int slot) {
        PageProperty p = props[slot];
        if (p == null) {
            throw new IllegalStateException("TLB slot " + slot + " is empty");
        }
        return p;
    }

    boolean dirty(int slot) {
        return dirty[slot];
    }

    /** Caches a translation of the {@code level}-sized page at {@code va}, replacing what its set held. */
    void insert(long va, long pa, int level, PageProperty rights, int space, long pteAt, boolean isDirty) {
        int i = level * SETS + (int) ((va >>> shifts[level]) & (SETS - 1));
        drop(i);
        valid[i] = true;
        vaBase[i] = va & -format.pageSize(level);
        paBase[i] = pa;
        props[i] = rights;
        global[i] = rights.global();
        asid[i] = space;
        ptePa[i] = pteAt;
        dirty[i] = isDirty;
        filter[bucket(pteAt)]++;
        if (level == 0) {
            filter[bucket(pa)]++;
        } else {
            superEntries++;
        }
    }

    private void drop(int i) {
        if (!valid[i]) {
            return;
        }
        valid[i] = false;
        props[i] = null;
        filter[bucket(ptePa[i])]--;
        if (i < SETS) {
            filter[bucket(paBase[i])]--;
        } else {
            superEntries--;
        }
    }

    private static int bucket(long pa) {
        return (int) (pa >>> 12) & (FILTER - 1);
    }

    /** Drops every entry (sfence.vma x0, x0; a CR4.PGE toggle). */
    public void invalidateAll() {
        Arrays.fill(valid, false);
        Arrays.fill(props, null);
        Arrays.fill(filter, 0);
        superEntries = 0;
    }

    /** Drops the non-global entries of {@code asid} (sfence.vma x0, asid). */
    public void invalidateAsid(int space) {
        for (int i = 0; i < valid.length; i++) {
            if (valid[i] && !global[i] && asid[i] == space) {
                drop(i);
            }
        }
    }

    /**
     * Drops the entries translating {@code va}: of every address space, globals included, when
     * {@code asid} is {@link #ALL} (sfence.vma va, x0; invlpg), else only {@code asid}'s non-global
     * ones (sfence.vma va, asid).
     */
    public void invalidatePage(long va, int space) {
        for (int level = 0; level < shifts.length; level++) {
            int shift = shifts[level];
            int i = level * SETS + (int) ((va >>> shift) & (SETS - 1));
            if (valid[i] && (vaBase[i] >>> shift) == (va >>> shift) && (space == ALL || (!global[i] && asid[i] == space))) {
                drop(i);
            }
        }
    }

    /** Drops every non-global entry (i386: a write to CR3). */
    public void invalidateNonGlobal() {
        for (int i = 0; i < valid.length; i++) {
            if (valid[i] && !global[i]) {
                drop(i);
            }
        }
    }

    /** RISC-V {@code sfence.vma rs1, rs2}: {@code va} or null for x0, {@code asid} or null for x0. */
    public void sfenceVma(@Nullable Long va, @Nullable Integer space) {
        if (va != null) {
            invalidatePage(va, space == null ? ALL : space);
        } else if (space != null) {
            invalidateAsid(space);
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
        if (filter[bucket(page)] == 0 && superEntries == 0) {
            return null;
        }
        for (int i = 0; i < valid.length; i++) {
            if (!valid[i]) {
                continue;
            }
            long size = format.pageSize(level(i));
            if (page - paBase[i] >= 0 && page - paBase[i] < size) {
                return String.format("translates 0x%x to it", vaBase[i] + (page - paBase[i]));
            }
            if ((ptePa[i] & -4096L) == page) {
                return String.format("caches 0x%x through a PTE in it", vaBase[i]);
            }
        }
        return null;
    }

    /** Entries currently cached. */
    public int size() {
        int n = 0;
        for (boolean v : valid) {
            n += v ? 1 : 0;
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
