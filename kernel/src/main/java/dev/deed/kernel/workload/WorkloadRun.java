package dev.deed.kernel.workload;

import dev.deed.kernel.boot.Kernel;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.kernel.boot.ResourceReport;
import dev.deed.process.ProcessBody;
import dev.deed.process.Program;
import dev.deed.task.RunResult;

/**
 * Boots a kernel, runs a workload as init, reaps init, and compares what the kernel holds with what
 * it held right after boot.
 *
 * @param clean true if the run ended without failure and every resource came back
 */
public record WorkloadRun(RunResult run, ResourceReport baseline, ResourceReport after, boolean clean) {

    public static WorkloadRun run(KernelConfig config, Workload workload, int scale, Transcript out, ProcessBody snapshot) {
        Kernel kernel = Kernel.boot(config);
        try {
            kernel.settle();
            ResourceReport baseline = kernel.report();
            RunResult run = kernel.run(Program.of("init", workload.init(out, snapshot, scale)));
            boolean finished = run.failures().isEmpty() && run.panic() == null && run.blocked().isEmpty();
            if (finished) {
                kernel.processes().reapInit();
            }
            kernel.settle();
            ResourceReport after = kernel.report();
            return new WorkloadRun(run, baseline, after, finished && after.equals(baseline));
        } finally {
            kernel.shutdown();
        }
    }
}
