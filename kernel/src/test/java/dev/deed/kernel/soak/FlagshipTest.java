package dev.deed.kernel.soak;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The flagship lifecycle property, small (deed.trials / deed.steps), on each architecture. */
class FlagshipTest {
    @ParameterizedTest
    @ValueSource(strings = {"riscv64", "i386", "x86_64"})
    void theWholeKernelKeepsEveryInvariant(String arch) {
        Flagship.property(arch).check();
    }

    /** Allocations fail on purpose in a quarter of the allocating syscalls, on machines down to 16 MiB. */
    @ParameterizedTest
    @ValueSource(strings = {"riscv64", "i386", "x86_64"})
    void underMemoryPressureEveryRefusalChangesNothing(String arch) {
        Flagship.property(arch, Pressure.faults(0.25)).check();
    }

    /** On 2 and 4 CPUs: tasks migrate, shootdowns cross CPUs, and everything still returns to the baseline. */
    @ParameterizedTest
    @ValueSource(strings = {"riscv64", "i386", "x86_64"})
    void onSeveralCpusEverythingReturns(String arch) {
        Flagship.property(new FlagshipConfig(arch, Pressure.NONE, null, 2, null), new Refusals()).check();
        Flagship.property(new FlagshipConfig(arch, Pressure.faults(0.25), null, 4, null), new Refusals()).check();
    }

    /** Sv48 boots a kernel too: the whole property, with pressure, on 4-level page tables, and its name replays it. */
    @org.junit.jupiter.api.Test
    void sv48KeepsEveryInvariantAndItsNameReplaysIt() {
        FlagshipConfig sv48 = new FlagshipConfig("riscv64", Pressure.faults(0.25), null, 2, "sv48");
        Flagship.property(sv48, new Refusals()).check();
        org.junit.jupiter.api.Assertions.assertEquals("flagship-riscv64-paging-sv48-cpus2-faults0.25", sv48.name());
        org.junit.jupiter.api.Assertions.assertEquals(sv48, FlagshipConfig.parse(sv48.name()));
        org.junit.jupiter.api.Assertions.assertEquals(FlagshipConfig.of("i386", Pressure.NONE),
                FlagshipConfig.parse("flagship-i386"), "a name without paging: the default");
    }
}
