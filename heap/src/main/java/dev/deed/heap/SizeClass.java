package dev.deed.heap;

import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.Frame;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.Tracked;
import dev.deed.frame.Usage;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One small heap: objects of one power-of-two size, carved from one-frame slabs. Allocation takes
 * from the head of the partial list, the <em>active</em> slab (then an empty one, then a new one).
 * A slab that empties moves to the empty list, kept while the class has at most
 * {@link KernelHeap#KEEP_EMPTY} there, otherwise its frame goes back. The active slab stays put when
 * it empties, so an alloc/free pair on a quiet class touches no list; slabs that regain space join
 * the partial list at its tail, so the active slab keeps its place.
 */
final class SizeClass {
    final int objectSize;
    private final HeapContext heap;
    final SlabList partial = new SlabList("partial");
    final SlabList full = new SlabList("full");
    final SlabList empty = new SlabList("empty");
    long active;

    SizeClass(HeapContext heap, int objectSize) {
        this.heap = heap;
        this.objectSize = objectSize;
    }

    Block allocate(KernelHeap owner, long requested) throws OutOfFramesException {
        Slab slab = partial.head;
        if (slab == null) {
            slab = empty.head != null ? empty.head : newSlab();
        }
        int slot = slab.freeStack[slab.freeCount - 1];
        long address = slab.addressOf(slot);
        if (heap.config.poison().poisonsSmall()) {
            heap.checkPoison(address, objectSize, slab.freedAt[slot]);
        }
        slab.freeCount--;
        if (slab.isFull()) {
            slab.list().moveTo(slab, full);
        } else if (slab.list == empty) {
            empty.moveTo(slab, partial);
        }
        Block block = new Block(owner, address, objectSize, requested, slab, slot);
        slab.live[slot] = block;
        active++;
        return block;
    }

    void free(Block block, Slab slab, long step) {
        int slot = block.slot;
        slab.live[slot] = null;
        long address = slab.addressOf(slot);
        if (heap.config.poison().poisonsSmall()) {
            heap.memory.fillPattern32(address, objectSize, heap.config.pattern());
        }
        slab.freedAt[slot] = step;
        boolean wasFull = slab.isFull();
        slab.freeStack[slab.freeCount++] = slot;
        active--;
        if (slab.isEmpty() && slab != partial.head) {
            slab.list().moveTo(slab, empty);
            if (empty.size > KernelHeap.KEEP_EMPTY) {
                Slab oldest = empty.head;
                while (oldest != null && oldest.next != null) {
                    oldest = oldest.next;
                }
                if (oldest != null) {
                    releaseSlab(oldest);
                }
            }
        } else if (wasFull) {
            full.moveToEnd(slab, partial);
        }
    }

    /** Gives every empty slab's frame back, the active one included. */
    void shrink() {
        while (empty.head != null) {
            releaseSlab(empty.head);
        }
        Slab active = partial.head;
        if (active != null && active.isEmpty()) {
            releaseSlab(active);
        }
    }

    int slabs() {
        return partial.size + full.size + empty.size;
    }

    SlabClassStats stats() {
        long total = (long) slabs() * (PhysAddr.PAGE_SIZE / objectSize);
        return new SlabClassStats("kmalloc-" + objectSize, objectSize, active, total, slabs(), (long) slabs() * PhysAddr.PAGE_SIZE);
    }

    /** Every structural invariant of the class's slabs; null if all hold. */
    @Nullable String verify() {
        long counted = 0;
        for (SlabList list : new SlabList[] {partial, full, empty}) {
            int n = 0;
            for (Slab s = list.head; s != null; s = s.next) {
                n++;
                String problem = verify(s, list);
                if (problem != null) {
                    return problem;
                }
                counted += s.capacity - s.freeCount;
            }
            if (n != list.size) {
                return "kmalloc-" + objectSize + " " + list.name + " list counts " + list.size + " but links " + n;
            }
        }
        return counted == active ? null : "kmalloc-" + objectSize + " counts " + active + " active objects, slabs hold " + counted;
    }

    private @Nullable String verify(Slab s, SlabList list) {
        SlabList expected = s.isFull() ? full : s.isEmpty() && s != partial.head ? empty : partial;
        if (list != expected) {
            return "slab 0x" + Long.toHexString(s.base) + " with " + s.freeCount + " free of " + s.capacity + " is on the " + list.name + " list";
        }
        boolean[] free = new boolean[s.capacity];
        for (int i = 0; i < s.freeCount; i++) {
            int slot = s.freeStack[i];
            if (free[slot]) {
                return "slot " + slot + " of slab 0x" + Long.toHexString(s.base) + " is on the free stack twice";
            }
            free[slot] = true;
            if (s.live[slot] != null) {
                return "slot " + slot + " of slab 0x" + Long.toHexString(s.base) + " is free but has a live handle";
            }
            if (heap.config.poison().poisonsSmall()) {
                long at = heap.memory.mismatchPattern32(s.addressOf(slot), objectSize, heap.config.pattern());
                if (at >= 0) {
                    return "poison overwritten at 0x" + Long.toHexString(s.addressOf(slot) + at) + " (block of size "
                            + objectSize + " freed at step " + s.freedAt[slot] + ")";
                }
            }
        }
        for (int slot = 0; slot < s.capacity; slot++) {
            if (!free[slot] && s.live[slot] == null) {
                return "slot " + slot + " of slab 0x" + Long.toHexString(s.base) + " is neither free nor live";
            }
        }
        return null;
    }

    @SuppressWarnings("required.method.not.called") // the frame is owned by the slab, which the class's lists own; releaseSlab closes it
    private Slab newSlab() throws OutOfFramesException {
        Frame<Tracked> frame = heap.frames.alloc(Usage.HEAP);
        Slab slab = new Slab(this, frame, objectSize);
        if (heap.config.poison().poisonsSmall()) {
            heap.memory.fillPattern32(slab.base, PhysAddr.PAGE_SIZE, heap.config.pattern());
        }
        heap.register(slab.base, slab);
        empty.addFirst(slab);
        return slab;
    }

    private void releaseSlab(Slab slab) {
        slab.list().remove(slab);
        heap.unregister(slab.base);
        slab.frame.close();
    }
}
