package dev.deed.kernel.cli;

import dev.deed.frame.OutOfFramesException;
import dev.deed.kernel.workload.ProcTree;
import dev.deed.kernel.workload.Transcript;
import dev.deed.kernel.workload.Workload;
import dev.deed.kernel.workload.WorkloadRun;
import dev.deed.kernel.workload.Workloads;
import dev.deed.process.FileStat;
import dev.deed.process.ProcessBody;
import dev.deed.process.SyscallException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
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

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = {"The main job: boot (the default architecture, 256 MiB, 2 CPUs) and run the demo workload.",
                    "Init forks children that exec small programs, map and touch memory, spawn threads and exit;",
                    "one child is orphaned and reaped by init. Prints each syscall with its result, /proc excerpts,",
                    "ps listings, and a closing report showing every resource returned."})
    static final class Demo implements java.util.concurrent.Callable<Integer> {
        @Mixin
        KernelOptions kernel = new KernelOptions();

        @Option(names = "--quiet", description = "Only the notes, listings and the report; no syscall lines.")
        boolean quiet;

        @Mixin
        VizOption viz = new VizOption();

        @Mixin
        OutputOptions output = new OutputOptions();

        @Spec
        @SuppressWarnings("initialization.field.uninitialized")
        CommandSpec spec;

        @Override
        public Integer call() throws OutOfFramesException {
            return WorkloadReport.run(DeedCli.out(spec), DeedCli.err(spec), kernel, new FaultOptions(), new InjectOption(), output, viz,
                    Workloads.named("demo"), 0, !quiet, sys -> { }, 2);
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

        @Mixin
        InjectOption inject = new InjectOption();

        @Mixin
        OutputOptions output = new OutputOptions();

        @Mixin
        VizOption viz = new VizOption();

        @Spec
        @SuppressWarnings("initialization.field.uninitialized")
        CommandSpec spec;

        @Override
        public Integer call() throws OutOfFramesException {
            PrintWriter out = DeedCli.out(spec);
            if (list) {
                Workloads.all().forEach(w -> out.printf("%-12s %s%n", w.name(), w.description()));
                return 0;
            }
            return WorkloadReport.run(out, DeedCli.err(spec), kernel, faults, inject, output, viz, workload(workload), scale, verbose,
                    sys -> { }, 1);
        }
    }

    @Command(name = "proc", mixinStandardHelpOptions = true,
            description = {"Run a workload and show /proc as it is at the end of the workload's work, before its final reaping:",
                    "a file's contents, a directory's entries, or (--tree) the whole of it written into a directory for Linux's tools."})
    static final class Proc implements java.util.concurrent.Callable<Integer> {
        @Mixin
        KernelOptions kernel = new KernelOptions();

        @Option(names = "--workload", paramLabel = "NAME", description = "demo, forkbomb, threads, mmap-churn or procfs-walk.")
        String workload = "demo";

        @Option(names = "--scale", description = "The workload's size (processes, threads, rounds); 0 = its default.")
        int scale;

        @Option(names = "--tree", paramLabel = "DIR",
                description = "Write the whole /proc (files, directories, self as a link) into DIR, e.g. for psutil.PROCFS_PATH.")
        java.nio.file.@Nullable Path tree;

        @Parameters(arity = "0..*", paramLabel = "PATH", description = "/proc paths, e.g. /proc/meminfo /proc/2/maps /proc")
        List<String> paths = new ArrayList<>();

        @Spec
        @SuppressWarnings("initialization.field.uninitialized")
        CommandSpec spec;

        @Override
        public Integer call() throws OutOfFramesException {
            PrintWriter out = DeedCli.out(spec);
            java.nio.file.Path dir = tree;
            if (paths.isEmpty() && dir == null) {
                throw new DeedCli.UsageFailure("deed: proc needs a /proc path to show or --tree DIR to write");
            }
            Workload w = workload(workload);
            List<String> problems = new ArrayList<>();
            int[] written = new int[1];
            WorkloadRun run = WorkloadRun.run(kernel.config(), w, scale, Transcript.quiet(), sys -> {
                for (String path : paths) {
                    try {
                        FileStat stat = sys.stat(path);
                        String text = stat.kind() == FileStat.Kind.DIRECTORY ? String.join("\n", sys.list(path)) + "\n"
                                : sys.read(path).replace('\0', '\n');
                        out.println("==> " + path + " <==");
                        out.print(text);
                    } catch (SyscallException e) {
                        problems.add(path + ": " + e.getMessage());
                    }
                }
                if (dir != null) {
                    try {
                        written[0] = ProcTree.write(sys, dir);
                    } catch (java.io.IOException | SyscallException e) {
                        problems.add("--tree " + dir + ": " + e);
                    }
                }
            });
            out.flush();
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(problems.get(0));
            }
            if (dir != null) {
                DeedCli.err(spec).printf("deed: wrote %d files of /proc to %s%n", written[0], dir);
            }
            return run.clean() ? 0 : DeedCli.FAILURE;
        }
    }

    static Workload workload(String name) {
        try {
            return Workloads.named(name);
        } catch (IllegalArgumentException e) {
            throw new DeedCli.UsageFailure("deed: --workload " + String.valueOf(e.getMessage()).replace("unknown workload ", ""));
        }
    }
}
