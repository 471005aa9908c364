package dev.deed.heap;

import org.checkerframework.checker.nullness.qual.Nullable;

/** An intrusive doubly-linked list of slabs: O(1) add and remove, deterministic order. */
final class SlabList {
    final String name;
    @Nullable Slab head;
    @Nullable Slab tail;
    int size;

    SlabList(String name) {
        this.name = name;
    }

    void addFirst(Slab slab) {
        slab.prev = null;
        slab.next = head;
        if (head != null) {
            head.prev = slab;
        } else {
            tail = slab;
        }
        head = slab;
        slab.list = this;
        size++;
    }

    void addLast(Slab slab) {
        slab.next = null;
        slab.prev = tail;
        if (tail != null) {
            tail.next = slab;
        } else {
            head = slab;
        }
        tail = slab;
        slab.list = this;
        size++;
    }

    void remove(Slab slab) {
        if (slab.list != this) {
            throw new IllegalStateException("slab at 0x" + Long.toHexString(slab.base) + " is not on the " + name + " list");
        }
        if (slab.prev != null) {
            slab.prev.next = slab.next;
        } else {
            head = slab.next;
        }
        if (slab.next != null) {
            slab.next.prev = slab.prev;
        } else {
            tail = slab.prev;
        }
        slab.prev = null;
        slab.next = null;
        slab.list = null;
        size--;
    }

    void moveTo(Slab slab, SlabList other) {
        remove(slab);
        other.addFirst(slab);
    }

    void moveToEnd(Slab slab, SlabList other) {
        remove(slab);
        other.addLast(slab);
    }
}
