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
}
