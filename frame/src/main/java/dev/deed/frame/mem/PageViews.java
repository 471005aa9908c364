package dev.deed.frame.mem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A reader's memory of where a few pages of {@link PhysMemory} live, for reading the same pages
 * again and again without the memory's page index — as QEMU's softmmu TLB keeps guest pages'
 * host addresses. The MMU model keeps one per CPU, a slot per cached last-level table, so that a
 * walk which starts at a cached table reads its entry with one load.
 *
 * <p>What a slot remembers is current only while no page's backing has been replaced or dropped
 * since it was filled ({@link PhysMemory#backingChanges}); a read first checks that, and otherwise
 * asks the memory again for that slot. Reads only: nothing is ever written through a
 * view, so the memory's written-line bookkeeping and copy-on-write of shared pages are untouched.
 */
public final class PageViews {
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int PAGE = 4096;

    private final PhysMemory memory;
    /** Per slot, the 4 KiB page number it remembers (-1: none), that page's backing array, and {@link PhysMemory#backingChanges} when it was filled. */
    private final long[] pages;
    private final byte[][] backing;
    private final long[] seen;

    PageViews(PhysMemory memory, int slots) {
        if (slots <= 0) {
            throw new IllegalArgumentException("a page view cache needs at least one slot, not " + slots);
        }
        this.memory = memory;
        this.pages = new long[slots];
        this.backing = new byte[slots][];
        this.seen = new long[slots];
        Arrays.fill(pages, -1);
        Arrays.fill(backing, PhysMemory.zeroPage());
    }

    /** How many pages this can remember. */
    public int slots() {
        return pages.length;
    }

    /** The little-endian 64-bit value at {@code pa}, remembering its page in {@code slot} (any slot; a miss refills it). */
    public long readU64(int slot, long pa) {
        int off = (int) (pa & (PAGE - 1));
        if (pages[slot] == pa >>> 12 && seen[slot] == memory.backingChanges() && off <= PAGE - 8) {
            return (long) U64.get(backing[slot], off);
        }
        return refill(slot, pa, 8) ? (long) U64.get(backing[slot], off) : memory.readU64(pa);
    }

    /** The little-endian 32-bit value at {@code pa}, zero-extended, remembering its page in {@code slot}. */
    public long readU32(int slot, long pa) {
        int off = (int) (pa & (PAGE - 1));
        if (pages[slot] == pa >>> 12 && seen[slot] == memory.backingChanges() && off <= PAGE - 4) {
            return (int) U32.get(backing[slot], off) & 0xFFFF_FFFFL;
        }
        return refill(slot, pa, 4) ? (int) U32.get(backing[slot], off) & 0xFFFF_FFFFL : memory.readU32(pa);
    }

    /**
     * Makes {@code slot} remember the page of {@code pa} as its backing is now; false if the access
     * is not one a view can serve (it crosses a page), in which case the caller reads through the
     * memory. An address outside RAM throws as the memory's reads do.
     */
    private boolean refill(int slot, long pa, int bytes) {
        memory.check(pa, bytes);
        if ((pa & (PAGE - 1)) > PAGE - bytes) {
            return false;
        }
        pages[slot] = pa >>> 12;
        backing[slot] = memory.backingOrZero(pa);
        seen[slot] = memory.backingChanges();
        return true;
    }
}
