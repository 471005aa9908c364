package dev.deed.task.spi;

import java.util.List;

/**
 * A {@link ContextLayout} given by its ABI's facts, once, to the constructor; the subclass adds only
 * its {@code /proc/cpuinfo} block. Subclass it with a public no-argument constructor (as
 * {@link java.util.ServiceLoader} needs).
 */
public abstract class FixedContextLayout implements ContextLayout {
    private final String arch;
    private final int wordBytes;
    private final List<String> registers;
    private final int stackAlignment;
    private final int returnAddressIndex;
    private final int stackPointerIndex;

    /** {@code returnAddress} and {@code stackPointer} name registers of {@code registers} (the latter null if kept outside the frame). */
    protected FixedContextLayout(String arch, int wordBytes, List<String> registers, int stackAlignment, String returnAddress,
                                 @org.checkerframework.checker.nullness.qual.Nullable String stackPointer) {
        this.arch = arch;
        this.wordBytes = wordBytes;
        this.registers = List.copyOf(registers);
        this.stackAlignment = stackAlignment;
        this.returnAddressIndex = index(registers, returnAddress);
        this.stackPointerIndex = stackPointer == null ? -1 : index(registers, stackPointer);
    }

    private static int index(List<String> registers, String name) {
        int i = registers.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("register " + name + " is not among " + registers);
        }
        return i;
    }

    @Override
    public final String arch() {
        return arch;
    }

    @Override
    public final int wordBytes() {
        return wordBytes;
    }

    @Override
    public final List<String> registers() {
        return registers;
    }

    @Override
    public final int stackAlignment() {
        return stackAlignment;
    }

    @Override
    public final int returnAddressIndex() {
        return returnAddressIndex;
    }

    @Override
    public final int stackPointerIndex() {
        return stackPointerIndex;
    }
}
