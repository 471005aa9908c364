package dev.deed.frame;

/**
 * A per-CPU cache of free single frames in front of the buddy lists (as Linux's per-CPU page lists):
 * the steady-state alloc/free of one frame touches only this stack and the frame's metadata.
 * Cached frames stay in state FREE, marked CACHED, so they are never merged and a bad free of one is
 * still detected.
 */
final class Magazine {
    static final int CAPACITY = 64;
    static final int BATCH = CAPACITY / 2;

    private final int[] slots = new int[CAPACITY];
    private int count;

    int count() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean isFull() {
        return count == CAPACITY;
    }

    int pop() {
        return slots[--count];
    }

    void push(int index) {
        slots[count++] = index;
    }
}
