package dev.deed.task;

import org.checkerframework.checker.mustcall.qual.InheritableMustCall;

/**
 * A kernel stack: {@code [bottom, top)} mapped in the kernel address space, an unmapped guard page
 * below. {@link #close()} poisons and unmaps it and, after the TLB flush, frees its frames and slot;
 * it is refused while the stack is current on a CPU.
 */
@InheritableMustCall("close")
public final class KernelStack implements AutoCloseable {
    private final KernelStacks owner;
    private final int slot;
    private final long bottom;
    private final long top;
    private boolean freed;

    KernelStack(KernelStacks owner, int slot, long bottom, long top) {
        this.owner = owner;
        this.slot = slot;
        this.bottom = bottom;
        this.top = top;
    }

    public long bottom() {
        return bottom;
    }

    public long top() {
        return top;
    }

    public long size() {
        return top - bottom;
    }

    public int slot() {
        return slot;
    }

    public boolean isFreed() {
        return freed;
    }

    /** Whether {@code va} is in the guard pages just below this stack. */
    public boolean guards(long va) {
        return va - owner.guardBase(this) >= 0 && va - bottom < 0;
    }

    @Override
    public void close() {
        if (freed) {
            throw new TaskStateException(this + " was already freed");
        }
        owner.release(this);
        freed = true;
    }

    @Override
    public String toString() {
        return String.format("kernel stack [0x%x, 0x%x)", bottom, top);
    }
}
