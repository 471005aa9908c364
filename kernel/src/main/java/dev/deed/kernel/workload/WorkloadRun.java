package dev.deed.kernel.workload;

import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.FaultPlan;
import dev.deed.kernel.boot.Kernel;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.kernel.boot.ResourceReport;
import dev.deed.kernel.boot.RunObserver;
import dev.deed.process.ProcessBody;
import dev.deed.process.ProcessTable;
import dev.deed.process.Program;
import dev.deed.process.SyscallException;
import dev.deed.task.RunResult;
import java.util.ArrayList;
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
 * @param errors    what the kernel's checks threw, in order: task panics, process threads that died
 *                  throwing something other than a refused syscall, and a failed shutdown — where a
 *                  planted bug's catch shows up
 */
public record WorkloadRun(RunResult run, ResourceReport baseline, ResourceReport after, boolean clean, long injected,
                          @Nullable String unreaped, @Nullable String initCrash, List<Throwable> errors) {

    public WorkloadRun {
        errors = List.copyOf(errors);
    }

    public static WorkloadRun run(KernelConfig config, Workload workload, int scale, Transcript out, ProcessBody snapshot) throws OutOfFramesException {
        return run(config, workload, scale, out, snapshot, plan -> { });
    }

    /**
     * As {@link #run(KernelConfig, Workload, int, Transcript, ProcessBody)}, with {@code faults} applied
     * to the machine's fault plan right before init starts (so allocations are counted from there).
     */
    public static WorkloadRun run(KernelConfig config, Workload workload, int scale, Transcript out, ProcessBody snapshot,
                                  Consumer<FaultPlan> faults) throws OutOfFramesException {
        return run(config, workload, scale, out, snapshot, faults, RunObserver.NONE);
    }

    /** As {@link #run(KernelConfig, Workload, int, Transcript, ProcessBody, Consumer)}, watched by {@code observer}. */
    public static WorkloadRun run(KernelConfig config, Workload workload, int scale, Transcript out, ProcessBody snapshot,
                                  Consumer<FaultPlan> faults, RunObserver observer) throws OutOfFramesException {
        Kernel kernel = Kernel.boot(config);
        WorkloadRun result;
        try {
            kernel.settle();
            ResourceReport baseline = kernel.report();
            FaultPlan plan = kernel.frames().faults();
            faults.accept(plan);
            observer.booted(kernel);
            RunResult run;
            try {
                run = kernel.run(Program.of("init", workload.init(out, snapshot, scale)));
            } catch (SyscallException refused) { // init itself could not be created: nothing of it is left
                run = new RunResult(0, 0, List.of("init could not start: " + refused.getMessage()), List.of(), List.of());
            }
            plan.clear();
            boolean finished = run.failures().isEmpty() && run.blocked().isEmpty();
            String unreaped = null;
            String initCrash = kernel.processes().crash(ProcessTable.INIT).orElse(null);
            List<Throwable> errors = new ArrayList<>();
            run.panics().forEach(p -> errors.add(p.cause()));
            kernel.processes().crashes().stream().filter(t -> !(t instanceof SyscallException)).forEach(errors::add); // a refusal is an answer
            if (finished) {
                try {
                    kernel.processes().reapInit();
                } catch (SyscallException e) {
                    unreaped = e.getMessage();
                } catch (RuntimeException check) { // the reaper's own checks (a planted bug's, say)
                    unreaped = check.getMessage();
                    errors.add(check);
                }
            }
            kernel.settle();
            ResourceReport after = kernel.report();
            observer.ended(kernel);
            result = new WorkloadRun(run, baseline, after, finished && unreaped == null && after.equals(baseline) && errors.isEmpty(),
                    plan.injected(), unreaped, initCrash, errors);
        } catch (RuntimeException failed) {
            kernel.shutdown();
            throw failed;
        }
        try {
            kernel.shutdown();
        } catch (RuntimeException shutdownFailed) {
            List<Throwable> errors = new ArrayList<>(result.errors());
            errors.add(shutdownFailed);
            return new WorkloadRun(result.run(), result.baseline(), result.after(), false, result.injected(), result.unreaped(),
                    result.initCrash(), errors);
        }
        return result;
    }
}
