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

    /** On 2 and 4 CPUs: tasks migrate, shootdowns cross CPUs, and everything still returns to the baseline. */
    @ParameterizedTest
    @ValueSource(strings = {"riscv64", "i386"})
    void onSeveralCpusEverythingReturns(String arch) {
        Flagship.property(new FlagshipConfig(arch, Pressure.NONE, null, 2), new Refusals()).check();
        Flagship.property(new FlagshipConfig(arch, Pressure.faults(0.25), null, 4), new Refusals()).check();
    }
}
