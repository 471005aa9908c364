package dev.deed.kernel.soak;

import dev.deed.lifecycle.Choices;
import java.util.List;

/**
 * How hard a flagship trial presses on memory: the fraction of allocating syscalls (fork, exec,
 * spawnThread, mmap) that get one injected allocation failure, and whether each trial draws its
 * machine's memory size from small ones, where real exhaustion happens too.
 *
 * @param faultRate    from 0 (none) to 1 (every allocating syscall)
 * @param smallMachines draw the memory size from {@link #SIZES_MIB} (else always the first)
 */
public record Pressure(double faultRate, boolean smallMachines) {
    /** Memory sizes a trial may draw, the roomiest (simplest) first. */
    static final List<Long> SIZES_MIB = List.of(128L, 32L, 24L, 16L);

    public static final Pressure NONE = new Pressure(0, false);

    public Pressure {
        if (!(faultRate >= 0 && faultRate <= 1)) {
            throw new IllegalArgumentException("fault rate " + faultRate + " must be in [0, 1]");
        }
    }

    /** Faults at {@code rate} and small machines: what {@code deed soak --faults RATE} runs. */
    public static Pressure faults(double rate) {
        return new Pressure(rate, true);
    }

    long drawMemory(Choices c) {
        return (smallMachines ? c.pick(SIZES_MIB) : SIZES_MIB.get(0)) << 20;
    }

    Fault drawFault(Choices c) {
        return Fault.draw(c, faultRate);
    }
}
