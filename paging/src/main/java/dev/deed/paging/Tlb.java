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
 * scanning, which every frame release asks of every CPU. The filter is kept lazily: a fill (the
 * TLB-miss path) only marks it stale, and the next release check recounts it from the slots once;
 * from then on, until the next fill, invalidations keep it exact. A run of releases after a run of
 * translations — an exit, a munmap — pays one recount, and a miss pays nothing for it.
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
    /** The shift of a last-level table's region (2 MiB or 4 MiB): the paging-structure cache's key. */
    private final int regionShift;
    /**
     * Per slot, four words in a row (one cache line): the VA base with the flag bits below, the PA
     * base, the PTE's address, and the ASID (low 32 bits) with the rights' {@link PageProperty#index}
     * above — primitives only, so a fill stores no reference.
     */
    private final long[] e;
    private static final long VALID = 1;
    private static final long GLOBAL = 2;
    private static final long DIRTY = 4;
    private final int slots;
    /**
     * The last translation given (an L0 "micro" TLB): the 4 KiB page, address space and kind of access
     * it was checked for, and where it went. It is a copy of slot {@link #quickSlot} and goes with it.
     */
    private long quickPage = -1;
    private int quickAsid;
    private int quickMode;
    private long quickPa;
    private int quickSlot = -1;
    /** Valid entries per hash of a 4 KiB page they reach (see the class comment), when {@link #counted}. */
    private final int[] filter = new int[FILTER];
    /** Whether {@link #filter} counts the current entries; a fill clears it, {@link #reaching} recounts. */
    private boolean counted = true;
    /** Valid entries above the last level: their translations cover more than one page, so the filter cannot answer for them. */
    private int superEntries;
    private long hits;
    private long misses;
    /**
     * The paging-structure cache (x86's PDE cache; RISC-V allows the same for non-leaf entries): per
     * 4 KiB-page region of a last-level table, the root it was walked from, that table and the rights
     * the entries above it leave. A walk that hits starts at the last level. Kept by a one-page
     * invalidation (a leaf changed); dropped whole by every wider one, which is what a kernel must do
     * after changing a non-leaf entry (Deed's flushes do).
     */
    static final int WALK_SETS = 32;
    /** Per set, four words in a row: the region (-1: none), the root, the table, the rights ({@code PagingFormat.TABLE_*}). */
    private final long[] walks = new long[4 * WALK_SETS];
    private int walkEntries;

    public Tlb(PagingFormat format) {
        this.format = format;
        int slots = format.levels() * SETS;
        this.shifts = new int[format.levels()];
        for (int level = 0; level < shifts.length; level++) {
            shifts[level] = format.indexShift(level);
        }
        this.regionShift = format.indexShift(1);
        this.e = new long[4 * slots];
        this.slots = slots;
        for (int i = 0; i < WALK_SETS; i++) {
            walks[4 * i] = -1;
        }
    }

    /** The cached translation of {@code va} in address space {@code asid}, or null. */
    public @Nullable Entry lookup(long va, int asid) {
        int i = find(va, asid);
        if (i < 0) {
            return null;
        }
        long w = e[4 * i];
        return new Entry(w & -4096L, e[4 * i + 1], level(i), props(i), (w & GLOBAL) != 0, asid(i), e[4 * i + 2],
                (w & DIRTY) != 0);
    }

    /** The slot caching {@code va} in address space {@code asid}, or -1 (counted as a hit or a miss). */
    int find(long va, int space) {
        int levels = superEntries == 0 ? 1 : shifts.length; // no superpage cached: only the 4 KiB sets can hit
        for (int level = 0; level < levels; level++) {
            int shift = shifts[level];
            int i = level * SETS + (int) ((va >>> shift) & (SETS - 1));
            long w = e[4 * i];
            if ((w & VALID) != 0 && (w >>> shift) == (va >>> shift) && ((w & GLOBAL) != 0 || (int) e[4 * i + 3] == space)) {
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
        return e[4 * slot + 1];
    }

    PageProperty props(int slot) {
        if (!valid(slot)) {
            throw new IllegalStateException("TLB slot " + slot + " is empty");
        }
        return PageProperty.ofIndex(rights(slot));
    }

    /** The rights of a valid slot, as a {@link PageProperty#index}. */
    int rights(int slot) {
        return (int) (e[4 * slot + 3] >>> 32);
    }

    boolean dirty(int slot) {
        return (e[4 * slot] & DIRTY) != 0;
    }

    /**
     * The physical address of {@code va} if it lies in the page of the last translation, for the same
     * address space and kind of access ({@code mode}); else -1. Counted as a hit.
     */
    long quick(long va, int space, int mode) {
        if ((va >>> 12) == quickPage && space == quickAsid && mode == quickMode) {
            hits++;
            return quickPa | (va & 0xFFF);
        }
        return -1;
    }

    /** Remembers that {@code va} (slot {@code slot}, address space {@code space}) was allowed for {@code mode} and went to {@code pa}. */
    void remember(int slot, long va, int space, int mode, long pa) {
        quickSlot = slot;
        quickPage = va >>> 12;
        quickAsid = space;
        quickMode = mode;
        quickPa = pa & -4096L;
    }

    /** Forgets the last translation (the rules it was checked under changed). */
    void forgetQuick() {
        quickSlot = -1;
        quickPage = -1;
    }

    /** The MMU's controls changed: what was checked or walked under the old ones goes. */
    void controlChanged() {
        forgetQuick();
        forgetWalks();
    }

    /** The cached walk for {@code va}'s last-level table under the root at {@code rootPa}, or -1. */
    int walkCached(long rootPa, long va) {
        long region = va >>> regionShift;
        int i = (int) region & (WALK_SETS - 1);
        return walks[4 * i] == region && walks[4 * i + 1] == rootPa ? i : -1;
    }

    long walkTable(int i) {
        return walks[4 * i + 2];
    }

    int walkRights(int i) {
        return (int) walks[4 * i + 3];
    }

    /** Caches that under the root at {@code rootPa}, {@code va}'s last-level table is {@code table}, reached with {@code rights}. */
    void rememberWalk(long rootPa, long va, long table, int rights) {
        long region = va >>> regionShift;
        int i = (int) region & (WALK_SETS - 1);
        if (walks[4 * i] < 0) {
            walkEntries++;
        }
        walks[4 * i] = region;
        walks[4 * i + 1] = rootPa;
        walks[4 * i + 2] = table;
        walks[4 * i + 3] = rights;
        counted = false;
    }

    private void forgetWalks() {
        if (walkEntries == 0) {
            return;
        }
        for (int i = 0; i < WALK_SETS; i++) {
            if (walks[4 * i] >= 0) {
                if (counted) {
                    filter[bucket(walks[4 * i + 2])]--;
                }
                walks[4 * i] = -1;
            }
        }
        walkEntries = 0;
    }

    /** Caches a translation of the {@code level}-sized page at {@code va} with {@code rights} (a {@link PageProperty#index}), replacing what its set held. */
    void insert(long va, long pa, int level, int rights, int space, long pteAt, boolean isDirty) {
        int i = level * SETS + (int) ((va >>> shifts[level]) & (SETS - 1));
        if (valid(i)) {
            forgetSlot(i); // the stores below replace it
        }
        e[4 * i] = va & -format.pageSize(level) | VALID | (PageProperty.global(rights) ? GLOBAL : 0) | (isDirty ? DIRTY : 0);
        e[4 * i + 1] = pa;
        e[4 * i + 2] = pteAt;
        e[4 * i + 3] = (long) rights << 32 | (space & 0xFFFF_FFFFL);
        if (counted) {
            counted = false; // a branch, not a store per miss
        }
        if (level > 0) {
            superEntries++;
        }
    }

    private boolean valid(int i) {
        return (e[4 * i] & VALID) != 0;
    }

    private boolean global(int i) {
        return (e[4 * i] & GLOBAL) != 0;
    }

    private int asid(int i) {
        return (int) e[4 * i + 3];
    }


    private void drop(int i) {
        if (valid(i)) {
            e[4 * i] = 0;
            forgetSlot(i);
        }
    }

    /** The bookkeeping of valid slot {@code i} going (its first word is cleared or about to be overwritten). */
    private void forgetSlot(int i) {
        if (i == quickSlot) {
            forgetQuick();
        }
        if (counted) {
            filter[bucket(e[4 * i + 2])]--;
            if (i < SETS) {
                filter[bucket(e[4 * i + 1])]--;
            }
        }
        if (i >= SETS) {
            superEntries--;
        }
    }

    /** Counts {@link #filter} again from the valid entries and cached walks. */
    private void recount() {
        Arrays.fill(filter, 0);
        for (int i = 0; i < slots; i++) {
            if (valid(i)) {
                filter[bucket(e[4 * i + 2])]++;
                if (i < SETS) {
                    filter[bucket(e[4 * i + 1])]++;
                }
            }
        }
        for (int i = 0; i < WALK_SETS; i++) {
            if (walks[4 * i] >= 0) {
                filter[bucket(walks[4 * i + 2])]++;
            }
        }
        counted = true;
    }

    private static int bucket(long pa) {
        return (int) (pa >>> 12) & (FILTER - 1);
    }

    /** Drops every entry (sfence.vma x0, x0; a CR4.PGE toggle). */
    public void invalidateAll() {
        Arrays.fill(e, 0);
        forgetQuick();
        forgetWalks();
        Arrays.fill(filter, 0);
        counted = true;
        superEntries = 0;
    }

    /** Drops the non-global entries of {@code asid} (sfence.vma x0, asid). */
    public void invalidateAsid(int space) {
        forgetWalks();
        for (int i = 0; i < slots; i++) {
            if (valid(i) && !global(i) && asid(i) == space) {
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
            if (valid(i) && (e[4 * i] >>> shift) == (va >>> shift) && (space == ALL || (!global(i) && asid(i) == space))) {
                drop(i);
            }
        }
    }

    /** Drops every non-global entry (i386: a write to CR3). */
    public void invalidateNonGlobal() {
        forgetWalks();
        for (int i = 0; i < slots; i++) {
            if (valid(i) && !global(i)) {
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
        if (!counted) {
            recount();
        }
        if (filter[bucket(page)] == 0 && superEntries == 0) {
            return null;
        }
        for (int i = 0; i < slots; i++) {
            if (!valid(i)) {
                continue;
            }
            long size = format.pageSize(level(i));
            long vaBase = e[4 * i] & -4096L;
            long paBase = e[4 * i + 1];
            if (page - paBase >= 0 && page - paBase < size) {
                return String.format("translates 0x%x to it", vaBase + (page - paBase));
            }
            if ((e[4 * i + 2] & -4096L) == page) {
                return String.format("caches 0x%x through a PTE in it", vaBase);
            }
        }
        for (int i = 0; i < WALK_SETS; i++) {
            if (walks[4 * i] >= 0 && walks[4 * i + 2] == page) {
                return String.format("caches a walk to 0x%x through the table in it", walks[4 * i] << regionShift);
            }
        }
        return null;
    }

    /** Last-level tables cached by the paging-structure cache. */
    public int cachedWalks() {
        return walkEntries;
    }

    /** Entries currently cached. */
    public int size() {
        int n = 0;
        for (int i = 0; i < slots; i++) {
            n += valid(i) ? 1 : 0;
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
