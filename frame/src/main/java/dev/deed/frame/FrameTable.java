package dev.deed.frame;

import java.util.Arrays;

/**
 * The buddy system's bookkeeping: one {@code int} of metadata per frame plus one free stack per
 * order. Indices are frame numbers relative to the first RAM frame; alignment and buddies are
 * computed on absolute frame numbers.
 *
 * <pre>
 * meta of a unit head:  [31:30 state][29:25 order][24:0 low]
 *   FREE       low = position in the free stack of its order, or CACHED (in a per-CPU magazine)
 *   ALLOCATED  low = [24:21 usage][20:0 reference count]
 *   RESERVED   low = 0
 * meta of any other frame: 0 (TAIL: look for the head)
 * </pre>
 * Free stacks give O(1) push, pop and removal of a buddy (swap with the last entry).
 */
final class FrameTable {
    static final int MAX_ORDER = 18; // 2^18 frames = 1 GiB
    static final int TAIL = 0;
    static final int FREE = 1;
    static final int ALLOCATED = 2;
    static final int RESERVED = 3;
    static final int LOW_MASK = (1 << 25) - 1;
    static final int CACHED = LOW_MASK;
    static final int MAX_REFS = (1 << 21) - 1;

    final long basePfn;
    final int frames;
    private final int[] meta;
    private final int[][] stacks = new int[MAX_ORDER + 1][];
    private final int[] stackSize = new int[MAX_ORDER + 1];
    /** Bit k set when the free stack of order k is not empty: finding a block is one bit scan. */
    private int nonEmpty;

    FrameTable(long basePfn, int frames) {
        this.basePfn = basePfn;
        this.frames = frames;
        this.meta = new int[frames];
        for (int k = 0; k <= MAX_ORDER; k++) {
            stacks[k] = new int[4];
        }
    }

    static int state(int m) {
        return m >>> 30;
    }

    static int order(int m) {
        return (m >>> 25) & 0x1F;
    }

    static int low(int m) {
        return m & LOW_MASK;
    }

    static int pack(int state, int order, int low) {
        return state << 30 | order << 25 | low;
    }

    static int usageOf(int m) {
        return (low(m) >>> 21) & 0xF;
    }

    static int refsOf(int m) {
        return m & MAX_REFS;
    }

    static int allocated(int order, int usage, int refs) {
        return pack(ALLOCATED, order, usage << 21 | refs);
    }

    int meta(int index) {
        return meta[index];
    }

    void setMeta(int index, int value) {
        meta[index] = value;
    }

    boolean inRange(long index) {
        return index >= 0 && index < frames;
    }

    /** The head of the unit containing frame {@code index}; at most MAX_ORDER + 1 probes. */
    int headOf(int index) {
        if (state(meta[index]) != TAIL) {
            return index;
        }
        long pfn = basePfn + index;
        for (int k = 1; k <= MAX_ORDER; k++) {
            long head = (pfn & -(1L << k)) - basePfn;
            if (head < 0) {
                break;
            }
            int m = meta[(int) head];
            if (state(m) != TAIL && order(m) >= k) {
                return (int) head;
            }
        }
        throw new IllegalStateException("frame table corrupt: no unit contains frame " + PhysAddr.hex((basePfn + index) << 12));
    }

    /** Largest order a unit starting at {@code index} may have: limited by alignment, {@code limit} and MAX_ORDER. */
    int maxOrderAt(int index, long limit) {
        long pfn = basePfn + index;
        int order = pfn == 0 ? MAX_ORDER : Math.min(MAX_ORDER, Long.numberOfTrailingZeros(pfn));
        while ((1L << order) > limit - index) {
            order--;
        }
        return order;
    }

    /**
     * Marks {@code [from, to)} as maximal aligned units of {@code state}. FREE units go on the free
     * stacks highest first, so the lowest memory is handed out first (images and dumps stay small).
     */
    void carve(int from, int to, int state) {
        int[] heads = new int[64];
        int[] orders = new int[64];
        int n = 0;
        int at = from;
        while (at < to) {
            int order = maxOrderAt(at, to);
            if (n == heads.length) {
                heads = Arrays.copyOf(heads, n * 2);
                orders = Arrays.copyOf(orders, n * 2);
            }
            heads[n] = at;
            orders[n++] = order;
            at += 1 << order;
        }
        for (int i = n - 1; i >= 0; i--) {
            if (state == FREE) {
                push(orders[i], heads[i]);
            } else {
                meta[heads[i]] = pack(state, orders[i], 0);
            }
        }
    }

    int freeBlocks(int order) {
        return stackSize[order];
    }

    /** Takes a free unit of exactly {@code order}, splitting a larger one; -1 if there is none. */
    int takeBlock(int order) {
        int candidates = nonEmpty >>> order;
        if (candidates == 0) {
            return -1;
        }
        int k = order + Integer.numberOfTrailingZeros(candidates);
        int index = pop(k);
        while (k > order) {
            k--;
            push(k, index + (1 << k));
        }
        meta[index] = 0;
        return index;
    }

    /** Returns the unit at {@code index} of {@code order} to the free stacks, merging with free buddies. */
    void giveBlock(int index, int order) {
        int at = index;
        int k = order;
        meta[at] = 0;
        while (k < MAX_ORDER) {
            long buddy = ((basePfn + at) ^ (1L << k)) - basePfn;
            if (buddy < 0 || buddy + (1L << k) > frames) {
                break;
            }
            int m = meta[(int) buddy];
            if (state(m) != FREE || order(m) != k || low(m) == CACHED) {
                break;
            }
            remove(k, (int) buddy);
            meta[(int) buddy] = 0;
            at = Math.min(at, (int) buddy);
            k++;
        }
        push(k, at);
    }

    /** Removes the free unit at {@code index} (of {@code order}) from its stack, leaving it a TAIL. */
    void unlinkFree(int index, int order) {
        remove(order, index);
        meta[index] = 0;
    }

    private void push(int order, int index) {
        int n = stackSize[order];
        if (n == stacks[order].length) {
            stacks[order] = Arrays.copyOf(stacks[order], n * 2);
        }
        stacks[order][n] = index;
        stackSize[order] = n + 1;
        nonEmpty |= 1 << order;
        meta[index] = pack(FREE, order, n);
    }

    private int pop(int order) {
        int n = stackSize[order] - 1;
        stackSize[order] = n;
        if (n == 0) {
            nonEmpty &= ~(1 << order);
        }
        return stacks[order][n];
    }

    private void remove(int order, int index) {
        int position = low(meta[index]);
        int n = --stackSize[order];
        if (n == 0) {
            nonEmpty &= ~(1 << order);
        }
        int last = stacks[order][n];
        if (last != index) {
            stacks[order][position] = last;
            meta[last] = pack(FREE, order, position);
        }
    }

    /** Checks every structural invariant; returns a description of the first violation, or null. Linear time. */
    @org.checkerframework.checker.nullness.qual.Nullable String verify() {
        for (int k = 0; k <= MAX_ORDER; k++) {
            if (((nonEmpty >>> k) & 1) != (stackSize[k] > 0 ? 1 : 0)) {
                return "the non-empty mask disagrees with the free stack of order " + k;
            }
            for (int p = 0; p < stackSize[k]; p++) {
                int index = stacks[k][p];
                int m = meta[index];
                if (state(m) != FREE || order(m) != k || low(m) != p) {
                    return "free stack " + k + " position " + p + " holds frame " + index + " whose meta is 0x" + Integer.toHexString(m);
                }
                if (((basePfn + index) & ((1L << k) - 1)) != 0) {
                    return "free unit at frame " + index + " of order " + k + " is misaligned";
                }
            }
        }
        int at = 0;
        while (at < frames) {
            int m = meta[at];
            if (state(m) == TAIL) {
                return "frame " + at + " is in no unit";
            }
            int size = 1 << order(m);
            if (at + size > frames) {
                return "unit at frame " + at + " of order " + order(m) + " runs past the end of RAM";
            }
            for (int i = at + 1; i < at + size; i++) {
                if (meta[i] != 0) {
                    return "frame " + i + " inside the unit at " + at + " has meta 0x" + Integer.toHexString(meta[i]);
                }
            }
            if (state(m) == FREE && low(m) != CACHED) {
                long buddy = ((basePfn + at) ^ size) - basePfn;
                if (order(m) < MAX_ORDER && inRange(buddy) && buddy + size <= frames) {
                    int b = meta[(int) buddy];
                    if (state(b) == FREE && order(b) == order(m) && low(b) != CACHED) {
                        return "free buddies at frames " + at + " and " + buddy + " of order " + order(m) + " were not merged";
                    }
                }
            }
            at += size;
        }
        return null;
    }
}
