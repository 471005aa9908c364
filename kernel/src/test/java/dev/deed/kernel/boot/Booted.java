package dev.deed.kernel.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.deed.process.ProcessBody;
import dev.deed.process.Program;
import dev.deed.task.RunResult;
import java.util.List;

/** A booted kernel for tests: run init's body, then reap init and compare with the boot baseline. */
record Booted(Kernel kernel, ResourceReport baseline) {
    static List<String> arches() {
        return List.of("riscv64", "i386", "x86_64");
    }

    static Booted boot(String arch) {
        return boot(arch, 256L << 20);
    }

    static Booted boot(String arch, long memory) {
        return boot(KernelConfig.of(arch, memory));
    }

    static Booted boot(KernelConfig config) {
        Kernel k = Kernel.boot(config);
        k.settle();
        return new Booted(k, k.report());
    }

    /** Runs init with {@code body}; the run must end without failures or panic. */
    RunResult init(ProcessBody body) {
        RunResult r = kernel.run(Program.of("init", body));
        assertEquals(List.of(), r.failures());
        assertEquals(java.util.List.of(), r.panics());
        assertEquals(java.util.List.of(), r.blocked(), "no task may be left waiting: a lost wakeup");
        return r;
    }

    /** Reaps init and checks that everything came back. */
    void assertEverythingReturned() {
        kernel.processes().reapInit();
        kernel.settle();
        ResourceReport after = kernel.report();
        assertEquals(baseline, after, "\n" + after.compareTo(baseline));
    }
}
