package dev.deed.kernel.cli;

import dev.deed.frame.OutOfFramesException;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.kernel.viz.Recorder;
import dev.deed.kernel.workload.Transcript;
import dev.deed.kernel.workload.Workload;
import dev.deed.kernel.workload.WorkloadRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code deed viz}: run a workload and write it as a self-contained HTML report. */
@Command(name = "viz", mixinStandardHelpOptions = true,
        description = {"Run a workload and write one self-contained HTML file (no network needed) that shows it: physical memory",
                "frame by frame over the run, the buddy free lists, each address space's page-table tree with shared frames",
                "linked, one timeline lane per CPU (tasks, syscalls, faults, shootdowns, exits, reaps) and the census against",
                "the baseline. demo, boot and soak take --viz FILE for the same report of their run."})
@SuppressWarnings("initialization.field.uninitialized") // picocli injects the options
final class VizCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernel = new KernelOptions();

    @Option(names = "--workload", paramLabel = "NAME", defaultValue = "demo",
            description = "demo, forkbomb, threads, mmap-churn or procfs-walk. Default: ${DEFAULT-VALUE}.")
    String workload = "demo";

    @Option(names = "--scale", description = "The workload's size (processes, threads, rounds); 0 = its default.")
    int scale;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the report, e.g. report.html.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws OutOfFramesException {
        Workload w = WorkloadCommands.workload(workload);
        KernelConfig config = kernel.config(2); // two CPUs unless --cpus says otherwise, as the demo: lanes to compare
        Recorder recorder = new Recorder();
        WorkloadRun run = WorkloadRun.run(config, w, scale, Transcript.quiet(), sys -> { }, plan -> { }, recorder);
        VizOption.write(recorder, WorkloadReport.about(config, w.name(), scale, run), out, DeedCli.err(spec));
        return run.clean() ? 0 : DeedCli.FAILURE;
    }
}
