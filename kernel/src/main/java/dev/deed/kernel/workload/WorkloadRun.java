package dev.deed.kernel.workload;

import dev.deed.frame.FaultPlan;
import dev.deed.kernel.boot.Kernel;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.kernel.boot.ResourceReport;
import dev.deed.process.ProcessBody;
import dev.deed.process.ProcessTable;
import dev.deed.process.Program;
import dev.deed.process.SyscallException;
import dev.deed.task.RunResult;
import java.util.List;
import java.util.function.Consumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Boots a kernel, runs a workload as init, reaps init, and compares what the kernel holds with what
 * it held right after boot.
 *
 * @param clean    true if the run ended without failure and every resource came back
 * @param injected allocation failures the fault plan injected during the run
 * @param unreaped why init could not be reaped at the end (its workload crashed with children left), or null
 * @param initCrash what ended init's body if it threw (a refused syscall it did not expect, say), or null
 */
public record WorkloadRun(RunResult run, ResourceReport baseline, ResourceReport after, boolean clean, long injected,
                          @Nullable String unreaped, @Nullable String initCrash) {

    public static WorkloadRun run(KernelConfig config, Workload workload, int scale, Transcript out, ProcessBody snapshot) {
        return run(config, workload, scale, out, snapshot, plan -> { });
    }

    /**
     * As {@link #run(KernelConfig, Workload, int, Transcript, ProcessBody)}, with {@code faults} applied
     * to the machine's fault plan right before init starts (so allocations are counted from there).
     */
    public static WorkloadRun run(KernelConfig config, Workload workload, int scale, Transcript out, ProcessBody snapshot,
                                  Consumer<FaultPlan> faults) {
        Kernel kernel = Kernel.boot(config);
        try {
            kernel.settle();
            ResourceReport baseline = kernel.report();
            FaultPlan plan = kernel.frames().faults();
            faults.accept(plan);
            RunResult run;
            try {
                run = kernel.run(Program.of("init", workload.init(out, snapshot, scale)));
            } catch (SyscallException refused) { // init itself could not be created: nothing of it is left
                run = new RunResult(0, 0, List.of("init could not start: " + refused.getMessage()), List.of(), null);
            }
            plan.clear();
            boolean finished = run.failures().isEmpty() && run.panic() == null && run.blocked().isEmpty();
            String unreaped = null;
            String initCrash = kernel.processes().crash(ProcessTable.INIT).orElse(null);
            if (finished) {
                try {
                    kernel.processes().reapInit();
                } catch (SyscallException e) {
                    unreaped = e.getMessage();
                }
            }
            kernel.settle();
            ResourceReport after = kernel.report();
            return new WorkloadRun(run, baseline, after, finished && unreaped == null && after.equals(baseline), plan.injected(),
                    unreaped, initCrash);
        } finally {
            kernel.shutdown();
        }
    }
}
