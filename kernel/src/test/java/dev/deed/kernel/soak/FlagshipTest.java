package dev.deed.kernel.soak;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The flagship lifecycle property, small (deed.trials / deed.steps), on each architecture. */
class FlagshipTest {
    @ParameterizedTest
    @ValueSource(strings = {"riscv64", "i386"})
    void theWholeKernelKeepsEveryInvariant(String arch) {
        Flagship.property(arch).check();
    }

    /** Allocations fail on purpose in a quarter of the allocating syscalls, on machines down to 16 MiB. */
    @ParameterizedTest
    @ValueSource(strings = {"riscv64", "i386"})
    void underMemoryPressureEveryRefusalChangesNothing(String arch) {
        Flagship.property(arch, Pressure.faults(0.25)).check();
    }
}
