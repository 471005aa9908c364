package dev.deed.paging;

import java.util.Arrays;

/**
 * A map from {@code long} to {@code long} of primitives — open addressing, linear probing, deletion
 * by backward shift — for what the paging fast paths ask on every call: valid entries per page-table
 * node (keyed by the node's frame number), the CPUs a root table is active on. A boxed
 * {@code HashMap<Long, …>} cost as much as the walk.
 */
final class LongMap {
    private static final long EMPTY = -1;
    private long[] keys = new long[16];
    private long[] counts = new long[16];
    private int size;
    /** Where the last {@link #change} found its key: checked against the key before use, so moves need no bookkeeping. */
    private int lastSlot;

    LongMap() {
        Arrays.fill(keys, EMPTY);
    }

    /** Starts counting node {@code pfn} at {@code count}; it must not be counted yet. */
    void add(long pfn, long count) {
        if ((size + 1) * 4 > keys.length * 3) {
            grow();
        }
        int i = slot(pfn);
        if (keys[i] == pfn) {
            throw new IllegalStateException("node 0x" + Long.toHexString(pfn << 12) + " is counted already");
        }
        keys[i] = pfn;
        counts[i] = count;
        size++;
    }

    /** Adds {@code delta} to node {@code pfn}'s count and returns the new count. */
    long change(long pfn, long delta) {
        int i = lastSlot;
        if (keys[i] != pfn) { // consecutive changes of one node (a cursor filling a table) skip the probe
            i = slot(pfn);
            lastSlot = i;
        }
        if (keys[i] != pfn) {
            throw new IllegalStateException("no node at 0x" + Long.toHexString(pfn << 12));
        }
        counts[i] += delta;
        return counts[i];
    }

    /** The value at {@code key}, or 0 if there is none. */
    long get(long key) {
        int i = slot(key);
        return keys[i] == key ? counts[i] : 0;
    }

    /** Sets {@code bits} in the value at {@code key} (0 if there was none). */
    void or(long key, long bits) {
        int i = slot(key);
        if (keys[i] == key) {
            counts[i] |= bits;
        } else {
            add(key, bits);
        }
    }

    /** Stops counting node {@code pfn} (nothing if it is not counted). */
    void remove(long pfn) {
        int i = slot(pfn);
        if (keys[i] != pfn) {
            return;
        }
        size--;
        int mask = keys.length - 1;
        for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int home = hash(keys[j]) & mask;
            // move keys[j] into the hole at i unless its home lies cyclically in (i, j]
            if (i <= j ? home <= i || home > j : home <= i && home > j) {
                keys[i] = keys[j];
                counts[i] = counts[j];
                i = j;
            }
        }
        keys[i] = EMPTY;
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(keys, EMPTY);
        size = 0;
    }

    /** Where {@code pfn} is, or the empty slot where it would go. */
    private int slot(long pfn) {
        int mask = keys.length - 1;
        int i = hash(pfn) & mask;
        while (keys[i] != EMPTY && keys[i] != pfn) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private static int hash(long pfn) {
        long h = pfn * 0x9E37_79B9_7F4A_7C15L; // Fibonacci hashing: neighbouring frames spread over the table
        return (int) (h >>> 32);
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        lastSlot = 0;
        counts = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int s = slot(oldKeys[i]);
                keys[s] = oldKeys[i];
                counts[s] = oldCounts[i];
            }
        }
    }
}
