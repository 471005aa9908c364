package dev.deed.kernel.cli;

import dev.deed.frame.OutOfFramesException;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.kernel.soak.CaughtBy;
import dev.deed.kernel.workload.Transcript;
import dev.deed.kernel.workload.Workload;
import dev.deed.kernel.workload.WorkloadRun;
import dev.deed.process.ProcessBody;
import dev.deed.task.TaskPanic;
import dev.deed.kernel.viz.Recorder;
import dev.deed.kernel.boot.RunObserver;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a workload as init and reports it: the transcript as it happens, then the run and the
 * closing resource report against the boot baseline — as text, or as one JSON object with
 * {@code --json}. Exit code 0 if every resource came back and the run ended cleanly.
 */
final class WorkloadReport {
    private WorkloadReport() {
    }

    static int run(PrintWriter out, PrintWriter err, KernelOptions options, FaultOptions faults, InjectOption inject, OutputOptions output,
                   VizOption viz, Workload workload, int scale, boolean verbose, ProcessBody snapshot, int defaultCpus)
            throws OutOfFramesException {
        KernelConfig config = options.config(defaultCpus).withPlanted(inject.planted());
        var arm = faults.arm();
        long started = System.nanoTime(); // for the reported duration only
        List<String> lines = new ArrayList<>();
        Transcript transcript = new Transcript(output.json ? lines::add : out::println, verbose);
        if (!output.json) {
            String paging = config.paging();
            out.printf("Deed: booting %s with %d MiB on %d CPU%s, seed %d; init runs workload '%s'%n",
                    config.arch() + (paging == null ? "" : " (" + paging + " paging)"),
                    config.memory() >> 20, config.cpus(), config.cpus() == 1 ? "" : "s", config.seed(), workload.name());
        }
        Path report = viz.file;
        Recorder recorder = new Recorder();
        WorkloadRun run = WorkloadRun.run(config, workload, scale, transcript, snapshot, arm, report == null ? RunObserver.NONE : recorder);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (report != null) {
            VizOption.write(recorder, about(config, workload.name(), scale, run), report, err);
        }
        if (output.json) {
            out.print(json(config, workload, scale, faults, run, lines, millis));
        } else {
            text(out, faults, run);
        }
        out.flush();
        return run.clean() ? 0 : DeedCli.FAILURE;
    }

    /** The report's header for a workload run. */
    static Map<String, String> about(KernelConfig config, String workload, int scale, WorkloadRun run) {
        Map<String, String> about = new LinkedHashMap<>();
        about.put("arch", config.arch());
        about.put("CPUs", Integer.toString(config.cpus()));
        about.put("memory", (config.memory() >> 20) + " MiB");
        about.put("seed", Long.toString(config.seed()));
        about.put("workload", workload + (scale > 0 ? " (scale " + scale + ")" : ""));
        if (!config.planted().isEmpty()) {
            about.put("planted", config.planted().toString());
        }
        about.put("outcome", run.clean() ? "clean: every resource came back" : "NOT clean: see the census and the timeline");
        return about;
    }

    private static void text(PrintWriter out, FaultOptions faults, WorkloadRun run) {
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
        for (TaskPanic panic : run.run().panics()) {
            out.println("── kernel panic of " + panic + " (the CPU went on)");
        }
        for (Throwable error : run.errors()) {
            String layer = CaughtBy.layer(error);
            out.println("── caught: " + error.getClass().getSimpleName() + ": " + error.getMessage());
            out.println("   by " + (layer == null ? "no named check (an unexpected failure)" : layer));
        }
        out.println("── resources after init is reaped, against the baseline after boot:");
        out.print(run.after().compareTo(run.baseline()));
        out.println(run.clean() ? "Every frame, heap block, pid, task and kernel stack came back."
                : run.after().equals(run.baseline()) ? "Every frame, heap block, pid, task and kernel stack came back,"
                        + " but the run did not end cleanly (see above)."
                : "NOT everything came back (see above).");
    }

    private static String json(KernelConfig config, Workload workload, int scale, FaultOptions faults, WorkloadRun run,
                               List<String> transcript, long millis) {
        return Json.object(g -> {
            g.writeStringField("workload", workload.name());
            g.writeNumberField("scale", scale);
            g.writeStringField("arch", config.arch());
            g.writeNumberField("memoryBytes", config.memory());
            g.writeNumberField("seed", config.seed());
            Json.strings(g, "transcript", transcript);
            g.writeNumberField("contextSwitches", run.run().switches());
            Json.strings(g, "failures", run.run().failures());
            Json.strings(g, "blocked", run.run().blocked());
            Json.strings(g, "panics", run.run().panics().stream().map(TaskPanic::toString).toList());
            g.writeArrayFieldStart("caught");
            for (Throwable error : run.errors()) {
                g.writeStartObject();
                g.writeStringField("exception", error.getClass().getSimpleName());
                g.writeStringField("message", String.valueOf(error.getMessage()));
                String layer = CaughtBy.layer(error);
                if (layer != null) {
                    g.writeStringField("layer", layer);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            String crash = run.initCrash();
            if (crash != null) {
                g.writeStringField("initCrash", crash);
            }
            String unreaped = run.unreaped();
            if (unreaped != null) {
                g.writeStringField("initUnreaped", unreaped);
            }
            Long nth = faults.nth;
            if (nth != null) {
                g.writeObjectFieldStart("faultInjection");
                g.writeNumberField("nth", nth);
                g.writeStringField("site", faults.site == null ? "any" : faults.site);
                g.writeBooleanField("fired", run.injected() > 0);
                g.writeEndObject();
            }
            Json.resources(g, "baseline", run.baseline());
            Json.resources(g, "after", run.after());
            g.writeBooleanField("everythingReturned", run.after().equals(run.baseline()));
            g.writeBooleanField("clean", run.clean());
            g.writeNumberField("elapsedMillis", millis);
        });
    }
}
