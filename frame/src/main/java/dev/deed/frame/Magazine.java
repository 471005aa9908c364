package dev.deed.frame;

/**
 * A per-CPU, per-order cache of free units in front of the buddy lists (as Linux's per-CPU page
 * lists, which also cover small orders and the pageblock order): a steady-state allocation and free
 * of a unit touches only this stack and the unit's metadata, with no split or merge. Cached units
 * stay in state FREE, marked CACHED, so they are never merged and a bad free of one is still
 * detected. {@link FrameAllocator#drainCpuCaches()} gives them back to the buddy lists.
 */
final class Magazine {
    /** Orders 0…MAX_CACHED_ORDER (4 KiB … 2 MiB) have caches. */
    static final int MAX_CACHED_ORDER = 9;

    private final int order;
    private final int[] slots;
    private int count;

    Magazine(int order) {
        this.order = order;
        this.slots = new int[order == 0 ? 64 : 4];
    }

    int order() {
        return order;
    }

    int capacity() {
        return slots.length;
    }

    int count() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean isFull() {
        return count == slots.length;
    }

    int pop() {
        return slots[--count];
    }

    void push(int index) {
        slots[count++] = index;
    }

    int get(int i) {
        return slots[i];
    }
}
