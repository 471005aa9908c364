package dev.deed.heap;

import dev.deed.frame.Frame;
import dev.deed.frame.Tracked;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One frame carved into equal objects of a size class. Free objects are a LIFO stack of slot
 * indices (the most recently freed is reused first, as in most kernels, so poison is checked soon).
 * Slabs of a class are linked into one of its three lists: partial, full, empty.
 */
final class Slab {
    final SizeClass sizeClass;
    final Frame<Tracked> frame;
    final long base;
    final int objectSize;
    final int capacity;
    final int[] freeStack;
    int freeCount;
    /** For each slot: the heap step at which it was last freed (0 = never used). */
    final long[] freedAt;
    /** For each slot: the live handle, or null when free. */
    final @Nullable Block[] live;

    @Nullable Slab prev;
    @Nullable Slab next;
    @Nullable SlabList list;

    Slab(SizeClass sizeClass, Frame<Tracked> frame, int objectSize) {
        this.sizeClass = sizeClass;
        this.frame = frame;
        this.base = frame.addr().value();
        this.objectSize = objectSize;
        this.capacity = (int) (dev.deed.frame.PhysAddr.PAGE_SIZE / objectSize);
        this.freeStack = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            freeStack[i] = capacity - 1 - i; // slot 0 on top: addresses are handed out in order
        }
        this.freeCount = capacity;
        this.freedAt = new long[capacity];
        this.live = new Block[capacity];
    }

    /** The list this slab is on (every slab the class holds is on exactly one). */
    SlabList list() {
        SlabList l = list;
        if (l == null) {
            throw new IllegalStateException("slab at 0x" + Long.toHexString(base) + " is on no list");
        }
        return l;
    }

    long addressOf(int slot) {
        return base + (long) slot * objectSize;
    }

    boolean isEmpty() {
        return freeCount == capacity;
    }

    boolean isFull() {
        return freeCount == 0;
    }
}
