package dev.deed.task.spi;

import java.util.List;

/**
 * Where and how an architecture's context switch saves a task: the frame is stored on the task's
 * own kernel stack, just below its stack pointer, register by register in {@link #registers()}
 * order, {@link #wordBytes()} each.
 */
public interface ContextLayout {

    /** The architecture, as {@code Machine.arch()} names it: {@code riscv64}, {@code i386}. */
    String arch();

    int wordBytes();

    /** The saved registers, in memory order from the frame's lowest address. */
    List<String> registers();

    /** Bytes of one saved frame: registers × word size. */
    default int contextBytes() {
        return registers().size() * wordBytes();
    }

    /** The stack alignment the ABI requires at a call (and so of every saved frame). */
    int stackAlignment();

    /** Index in {@link #registers()} of the register the switch returns through (ra, eip). */
    int returnAddressIndex();

    /** Index of the stack pointer in {@link #registers()}, or -1 if it is kept outside the frame (i386's esp). */
    int stackPointerIndex();

    /** Where a new task's initial frame goes: below the stack top, aligned. */
    default long initialFrame(long stackTop) {
        return (stackTop - contextBytes()) & -stackAlignment();
    }

    /**
     * CPU {@code cpu}'s block of {@code /proc/cpuinfo}, in the format Linux prints for this
     * architecture (ending with a blank line); {@code cpus} is the machine's count and {@code mmu} its
     * paging format's name.
     */
    String cpuinfo(int cpu, int cpus, String mmu);
}
