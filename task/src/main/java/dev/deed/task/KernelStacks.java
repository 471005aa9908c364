package dev.deed.task;

import dev.deed.frame.FaultSite;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.Usage;
import dev.deed.frame.mem.PhysMemory;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.Mapping;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.VirtAddr;
import java.util.BitSet;
import java.util.TreeMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Kernel stacks in a kernel-space area: slot {@code i} is {@code guardPages} unmapped pages followed
 * by the stack, frames tagged {@code KERNEL_STACK}. Slots are recycled lowest first; a freed stack is
 * poisoned before it is unmapped, so a stale translation reads the pattern, not old data.
 */
public final class KernelStacks {
    /** The poison written over freed stacks (Tilck's heap pattern). */
    public static final int POISON = 0xFAABCAFE;

    private final FrameAllocator frames;
    private final PageTable<KernelSpace> kernel;
    private final PhysMemory memory;
    private final long area;
    private final long areaSize;
    private final long stackSize;
    private final long guardBytes;
    private final BitSet slots = new BitSet();
    /** Live stacks: slot → bottom address (names, not handles: the task table owns the stacks). */
    private final Map<Integer, Long> live = new TreeMap<>();
    /** The bottom of the stack {@link #release} is unmapping right now: the one change the guard lets through. */
    private long releasing = -1;
    private StackUse inUse = new StackUse() {
        @Override
        public @Nullable String cpuOf(KernelStack stack) {
            return null;
        }

        @Override
        public String ownerOf(long bottom) {
            return "no task";
        }
    };

    /** What the scheduler knows about a stack: the CPU it is current on, and the task it belongs to. */
    interface StackUse {
        /** "task 'x' (tid n): it is in use on CPU c" if {@code stack} is current on a CPU, else null. */
        @Nullable String cpuOf(KernelStack stack);

        /** For the stack whose range starts at {@code bottom}: "task 'x' (tid n), in use on CPU c" / "task 'x' (tid n) (parked)". */
        String ownerOf(long bottom);
    }

    KernelStacks(FrameAllocator frames, PageTable<KernelSpace> kernel, long stackSize, int guardPages) {
        this.frames = frames;
        this.kernel = kernel;
        this.memory = frames.memory();
        this.stackSize = stackSize;
        this.guardBytes = guardPages * PhysAddr.PAGE_SIZE;
        this.area = frames.layout().kernelStackArea();
        this.areaSize = frames.layout().kernelStackAreaSize();
        PageTable.guard(kernel, this::guard);
    }

    /**
     * The kernel table's guard over the stack area (B2): no unmap, protect or destroy may touch a
     * live stack except its own release, whoever reaches the kernel table. Refused naming the stack,
     * its task and the CPU it is in use on.
     */
    private void guard(String op, long va, long size) {
        for (long bottom : live.values()) {
            long top = bottom + stackSize;
            boolean touches = size == 0 || (va - top < 0 && bottom - (va + size) < 0);
            if (touches && bottom != releasing) {
                throw new StackInUseException(op + " [0x" + Long.toHexString(va) + ", 0x" + Long.toHexString(va + size)
                        + ") would take away the " + String.format("kernel stack [0x%x, 0x%x)", bottom, top) + " of " + inUse.ownerOf(bottom)
                        + ": a kernel stack is changed only by its own release, after its task switched away for good;"
                        + " nothing was changed");
            }
        }
    }


    /** Tells the stacks which one is current on a CPU (the scheduler installs this). */
    void whenInUse(StackUse check) {
        this.inUse = check;
    }

    /**
     * A fresh zeroed stack in the lowest free slot, all or nothing: a stack that cannot be allocated
     * (out of frames or table nodes, or the fault plan's kernel-stack site) leaves nothing mapped and
     * its slot free.
     *
     * @throws OutOfFramesException no memory for the stack (nothing changed)
     * @throws TaskStateException   the stack area is full (nothing changed)
     */
    public KernelStack allocate() throws OutOfFramesException {
        int slot = slots.nextClearBit(0);
        long base = area + slot * (guardBytes + stackSize);
        long bottom = base + guardBytes;
        if (bottom + stackSize - area > areaSize) {
            throw new TaskStateException(String.format("the kernel stack area [0x%x, 0x%x) is full: slot %d would end past it",
                    area, area + areaSize, slot));
        }
        frames.faults().check(FaultSite.KERNEL_STACK);
        kernel.mapFresh(VirtAddr.of(bottom), stackSize, PageProperty.kernelData(), Usage.KERNEL_STACK, true);
        slots.set(slot);
        live.put(slot, bottom);
        return new KernelStack(this, slot, bottom, bottom + stackSize);
    }

    /** Stacks currently allocated. */
    public int inUse() {
        return slots.cardinality();
    }

    public long stackSize() {
        return stackSize;
    }

    long guardBase(KernelStack stack) {
        return stack.bottom() - guardBytes;
    }

    void release(KernelStack stack) {
        String cpu = inUse.cpuOf(stack);
        if (cpu != null) {
            throw new StackInUseException("cannot free " + stack + " of " + cpu + "; nothing was freed");
        }
        for (long page = stack.bottom(); page < stack.top(); page += PhysAddr.PAGE_SIZE) {
            Mapping m = kernel.query(VirtAddr.of(page)).orElseThrow(() -> new IllegalStateException("stack page unmapped"));
            memory.fillPattern32(m.pa() + (page - m.va().value()), PhysAddr.PAGE_SIZE, POISON);
        }
        releasing = stack.bottom();
        try {
            kernel.unmap(VirtAddr.of(stack.bottom()), stack.size()).flush(); // every CPU: a kernel mapping
        } catch (OutOfFramesException impossible) { // unmap needs memory only to split a superpage; stacks are 4 KiB pages
            throw new IllegalStateException("unmapping " + stack + " needed memory: it is not mapped with 4 KiB pages", impossible);
        } finally {
            releasing = -1;
        }
        slots.clear(stack.slot());
        live.remove(stack.slot());
    }
}
