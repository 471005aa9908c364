package dev.deed.task;

import dev.deed.frame.mem.PhysMemory;
import dev.deed.paging.Access;
import dev.deed.paging.Cpus;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.PageFault;
import dev.deed.paging.PageTable;
import dev.deed.paging.Privilege;
import dev.deed.paging.VirtAddr;
import dev.deed.task.spi.ContextLayout;

/**
 * The saved context on a task's kernel stack, in the architecture's layout: written when the task
 * switches away and read back, through the MMU of the CPU doing the switch, when it switches in.
 * Every saved register holds a value derived from the task and the slot, so a context read from a
 * freed (poisoned) or unmapped stack is caught, and says which.
 */
final class ContextFrames {
    private final ContextLayout layout;
    private final PhysMemory memory;
    private final PageTable<KernelSpace> kernel;
    private final Cpus cpus;

    ContextFrames(ContextLayout layout, PhysMemory memory, PageTable<KernelSpace> kernel) {
        this.layout = layout;
        this.memory = memory;
        this.kernel = kernel;
        this.cpus = kernel.cpus();
    }

    /** Saves {@code t}'s registers just below its stack pointer, on CPU {@code cpu}. */
    void write(Task t, int cpu) {
        int w = layout.wordBytes();
        long frame = layout.initialFrame(t.sp);
        for (int i = 0; i < layout.registers().size(); i++) {
            writeWord(t, frame + (long) i * w, expected(t, i, frame), cpu);
        }
        t.savedFrame = frame;
    }

    /** Reads {@code t}'s saved registers back on CPU {@code cpu}; a context that is not what was saved is refused. */
    void read(Task t, int cpu) {
        int w = layout.wordBytes();
        long frame = t.savedFrame;
        for (int i = 0; i < layout.registers().size(); i++) {
            long va = frame + (long) i * w;
            long value;
            try {
                long pa = cpus.mmu(cpu).translate(kernel.rootRegister(), VirtAddr.of(va), Access.READ, Privilege.SUPERVISOR);
                value = w == 8 ? memory.readU64(pa) : memory.readU32(pa);
            } catch (PageFault fault) {
                throw new ContextCorruptedException("switch to " + t + ": its saved context at 0x" + Long.toHexString(frame)
                        + " is unreadable (" + fault.kind() + "): its kernel stack was freed");
            }
            long want = expected(t, i, frame);
            if (value != want) {
                long poison = KernelStacks.POISON & 0xFFFF_FFFFL;
                boolean poisoned = value == (w == 8 ? poison << 32 | poison : poison);
                throw new ContextCorruptedException("switch to " + t + ": saved " + layout.registers().get(i) + " at 0x"
                        + Long.toHexString(va) + " reads 0x" + Long.toHexString(value) + " instead of 0x" + Long.toHexString(want)
                        + (i == layout.returnAddressIndex() ? " (the return address: the switch would jump there)" : "")
                        + (poisoned ? " — the poison pattern: its kernel stack was freed" : " — the context was overwritten"));
            }
        }
    }

    /**
     * Moves {@code self}'s stack pointer down by a frame of {@code frameBytes}, writing each page it
     * reaches (top down), so a frame below the stack hits the guard page.
     */
    void push(Task self, int frameBytes, long stackSize, int cpu) {
        if (frameBytes <= 0 || frameBytes > stackSize) {
            throw new IllegalArgumentException("a stack frame of " + frameBytes + " bytes: must be in [1, " + stackSize + "]");
        }
        long old = self.sp;
        long newSp = (old - frameBytes) & -layout.stackAlignment();
        for (long page = (old - 1) & -4096L; page - newSp >= 0 || page == (newSp & -4096L); page -= 4096) {
            writeWord(self, Math.max(page, newSp), 0xF4A3E000L | self.tid, cpu);
            if (page - newSp < 0 || (page & -4096L) == (newSp & -4096L)) {
                break;
            }
        }
        self.sp = newSp;
    }

    /** The value register {@code i} of task {@code t} holds in a frame at {@code frame}: sp is the frame, the rest are tags. */
    private long expected(Task t, int i, long frame) {
        if (i == layout.stackPointerIndex()) {
            return frame;
        }
        long tag = 0xDEEDL << 48 | (long) t.tid << 8 | i;
        return layout.wordBytes() == 8 ? tag : (0xDE00_0000L | (t.tid & 0xFFFFL) << 8 | i);
    }

    private void writeWord(Task t, long va, long value, int cpu) {
        long pa;
        try {
            pa = cpus.mmu(cpu).translate(kernel.rootRegister(), VirtAddr.of(va), Access.WRITE, Privilege.SUPERVISOR);
        } catch (PageFault fault) {
            KernelStack stack = t.stack;
            if (stack != null && stack.guards(va)) {
                throw new KernelStackOverflowException("kernel stack overflow in " + t + ": a write at 0x" + Long.toHexString(va)
                        + " hits the guard page below its " + stack);
            }
            throw new TaskStateException(t + " wrote outside its stack at 0x" + Long.toHexString(va) + ": " + fault.getMessage());
        }
        if (layout.wordBytes() == 8) {
            memory.writeU64(pa, value);
        } else {
            memory.writeU32(pa, value);
        }
    }
}
