package dev.deed.kernel.cli;

import dev.deed.kernel.workload.Transcript;
import dev.deed.kernel.workload.Workload;
import dev.deed.kernel.workload.WorkloadRun;
import dev.deed.kernel.workload.Workloads;
import dev.deed.process.ProcessBody;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code deed demo}, {@code deed boot} and {@code deed proc}: boot a kernel and run a workload as init. */
final class WorkloadCommands {
    private WorkloadCommands() {
    }

    /** Runs {@code workload} and prints the transcript (if any) and the closing resource report; 0 if clean. */
    static int runAndReport(PrintWriter out, KernelOptions options, Workload workload, int scale, boolean verbose, ProcessBody snapshot) {
        return runAndReport(out, options, new FaultOptions(), workload, scale, verbose, snapshot);
    }

    static int runAndReport(PrintWriter out, KernelOptions options, FaultOptions faults, Workload workload, int scale,
                            boolean verbose, ProcessBody snapshot) {
        var config = options.config();
        var arm = faults.arm();
        out.printf("Deed: booting %s with %d MiB, seed %d; init runs workload '%s'%n", config.arch(), config.memory() >> 20,
                config.seed(), workload.name());
        Transcript transcript = new Transcript(out::println, verbose);
        WorkloadRun run = WorkloadRun.run(config, workload, scale, transcript, snapshot, arm);
        String injection = faults.report(run.injected());
        if (injection != null) {
            out.println(injection);
        }
        if (run.initCrash() != null) {
            out.println("── init's workload ended by throwing: " + run.initCrash());
        }
        if (run.unreaped() != null) {
            out.println("── init could not be reaped (" + run.unreaped() + "): its workload stopped before reaping its children,"
                    + " so their zombies and init's keep their pids and structs, as on Linux when init dies");
        }
        out.printf("── the run: %d context switches%s%n", run.run().switches(),
                run.run().failures().isEmpty() ? "" : ", failures: " + run.run().failures());
        Throwable panic = run.run().panic();
        if (panic != null) {
            out.println("── kernel panic: " + panic.getMessage());
        }
        out.println("── resources after init is reaped, against the baseline after boot:");
        out.print(run.after().compareTo(run.baseline()));
        out.println(run.clean() ? "Every frame, heap block, pid, task and kernel stack came back."
                : run.after().equals(run.baseline()) ? "Every frame, heap block, pid, task and kernel stack came back,"
                        + " but the run did not end cleanly (see above)."
                : "NOT everything came back (see above).");
        out.flush();
        return run.clean() ? 0 : DeedCli.FAILURE;
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = {"The main job: boot (riscv64, 256 MiB by default) and run the demo workload.",
                    "Init forks children that exec small programs, map and touch memory, spawn threads and exit;",
                    "one child is orphaned and reaped by init. Prints each syscall with its result, /proc excerpts,",
                    "ps listings, and a closing report showing every resource returned."})
    static final class Demo implements java.util.concurrent.Callable<Integer> {
        @Mixin
        KernelOptions kernel = new KernelOptions();

        @Option(names = "--quiet", description = "Only the notes, listings and the report; no syscall lines.")
        boolean quiet;

        @Spec
        @SuppressWarnings("initialization.field.uninitialized")
        CommandSpec spec;

        @Override
        public Integer call() {
            return runAndReport(DeedCli.out(spec), kernel, Workloads.named("demo"), 0, !quiet, sys -> { });
        }
    }

    @Command(name = "boot", mixinStandardHelpOptions = true, description = "Boot and run a named workload as init.")
    static final class Boot implements java.util.concurrent.Callable<Integer> {
        @Mixin
        KernelOptions kernel = new KernelOptions();

        @Option(names = "--workload", paramLabel = "NAME", description = "demo, forkbomb, threads, mmap-churn or procfs-walk.")
        String workload = "demo";

        @Option(names = "--scale", description = "The workload's size (processes, threads, rounds); 0 = its default.")
        int scale;

        @Option(names = "--list-workloads", description = "List the workloads and exit.")
        boolean list;

        @Option(names = "--verbose", description = "Print every syscall.")
        boolean verbose;

        @Mixin
        FaultOptions faults = new FaultOptions();

        @Spec
        @SuppressWarnings("initialization.field.uninitialized")
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = DeedCli.out(spec);
            if (list) {
                Workloads.all().forEach(w -> out.printf("%-12s %s%n", w.name(), w.description()));
                return 0;
            }
            return runAndReport(out, kernel, faults, workload(workload), scale, verbose, sys -> { });
        }
    }

    @Command(name = "proc", mixinStandardHelpOptions = true,
            description = "Run a workload and print /proc files as they are at its end, before its final reaping.")
    static final class Proc implements java.util.concurrent.Callable<Integer> {
        @Mixin
        KernelOptions kernel = new KernelOptions();

        @Option(names = "--workload", paramLabel = "NAME", description = "demo, forkbomb, threads, mmap-churn or procfs-walk.")
        String workload = "demo";

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "/proc paths, e.g. /proc/meminfo /proc/2/maps")
        List<String> paths = new ArrayList<>();

        @Spec
        @SuppressWarnings("initialization.field.uninitialized")
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = DeedCli.out(spec);
            Workload w = workload(workload);
            List<String> missing = new ArrayList<>();
            WorkloadRun run = WorkloadRun.run(kernel.config(), w, 0, Transcript.quiet(), sys -> {
                for (String path : paths) {
                    try {
                        out.println("==> " + path + " <==");
                        out.print(sys.read(path).replace('\0', '\n'));
                    } catch (RuntimeException e) {
                        missing.add(String.valueOf(e.getMessage()));
                    }
                }
            });
            out.flush();
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(missing.get(0));
            }
            return run.clean() ? 0 : DeedCli.FAILURE;
        }
    }

    private static Workload workload(String name) {
        try {
            return Workloads.named(name);
        } catch (IllegalArgumentException e) {
            throw new DeedCli.UsageFailure("deed: --workload " + String.valueOf(e.getMessage()).replace("unknown workload ", ""));
        }
    }
}
