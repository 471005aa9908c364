package dev.deed.kernel.cli;

import dev.deed.kernel.soak.CaughtBy;
import dev.deed.kernel.soak.Flagship;
import dev.deed.kernel.soak.FlagshipConfig;
import dev.deed.kernel.soak.Pressure;
import dev.deed.kernel.soak.Refusals;
import dev.deed.lifecycle.Counterexample;
import dev.deed.lifecycle.Failure;
import dev.deed.lifecycle.LifecycleProperty;
import dev.deed.lifecycle.Outcome;
import dev.deed.lifecycle.ReplayToken;
import dev.deed.lifecycle.Settings;
import dev.deed.lifecycle.TrialResult;
import dev.deed.paging.PagingFormats;
import dev.deed.kernel.viz.Recorder;
import dev.deed.kernel.boot.RunObserver;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code deed soak}: the flagship lifecycle property at scale, with progress, shrinking and a replay command. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Run the flagship lifecycle property (random fork/exec/exit/waitpid/threads/mmap/memory/proc syscalls against "
                + "a model, invariants after every step) for --steps steps. On failure, print the shrunk sequence and the "
                + "command that replays it; --replay re-runs exactly that case, on the architecture and with the pressure "
                + "the token names."})
@SuppressWarnings("initialization.field.uninitialized") // picocli injects the options
final class SoakCommand implements Callable<Integer> {
    @Mixin
    ArchOption arch = new ArchOption();

    @Option(names = "--steps", defaultValue = "2000", description = "Steps in all. Default: ${DEFAULT-VALUE}.")
    int steps = 2000;

    @Option(names = "--steps-per-trial", defaultValue = "40", description = "Steps per trial (each boots a kernel). Default: ${DEFAULT-VALUE}.")
    int perTrial = 40;

    @Option(names = "--seed", defaultValue = "1", description = "Root seed (decimal or 0x hex). Default: ${DEFAULT-VALUE}.")
    String seed = "1";

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "1", description = "Simulated CPUs, 1 to 8. Default: ${DEFAULT-VALUE}.")
    int cpus = 1;

    @Option(names = "--replay", paramLabel = "TOKEN",
            description = "Replay exactly one case from the token a failure printed; the token says the architecture and the pressure.")
    @Nullable String replay;

    @Option(names = "--faults", paramLabel = "RATE", defaultValue = "0",
            description = "Memory pressure: the fraction (0 to 1) of allocating syscalls (fork, exec, spawnThread, mmap) that get one "
                    + "injected allocation failure; above 0, trials also run on machines of 16 to 128 MiB. Every refusal must "
                    + "change nothing. Default: ${DEFAULT-VALUE}.")
    double faults;

    @Mixin
    InjectOption inject = new InjectOption();

    @Mixin
    OutputOptions output = new OutputOptions();

    @Mixin
    VizOption viz = new VizOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!(faults >= 0 && faults <= 1)) {
            throw new DeedCli.UsageFailure("deed: --faults " + faults + " must be a fraction from 0 to 1");
        }
        if (steps < 1 || perTrial < 1) {
            throw new DeedCli.UsageFailure("deed: --steps " + steps + " and --steps-per-trial " + perTrial + " must be positive");
        }
        String token = replay;
        if (token != null) {
            return replay(token);
        }
        String archName = arch.arch();
        long root;
        try {
            root = Settings.parseSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new DeedCli.UsageFailure("deed: --seed " + e.getMessage());
        }
        Pressure pressure = faults > 0 ? Pressure.faults(faults) : Pressure.NONE;
        if (cpus < 1 || cpus > dev.deed.kernel.boot.KernelConfig.MAX_CPUS) {
            throw new DeedCli.UsageFailure("deed: --cpus " + cpus + " must be from 1 to " + dev.deed.kernel.boot.KernelConfig.MAX_CPUS);
        }
        FlagshipConfig config = new FlagshipConfig(archName, pressure, inject.bug(), cpus, arch.paging());
        String command = "./deed soak --replay " + "{token}";
        Settings settings = Settings.defaults().withTrials((steps + perTrial - 1) / perTrial).withMaxSteps(perTrial)
                .withSeed(root).withTrialTimeout(Duration.ofSeconds(60)).withReplayCommand(command);
        Refusals refusals = new Refusals();
        SoakReport report = new SoakReport(config.name(), output);
        LifecycleProperty<?, ?> property = Flagship.property(config, refusals);
        int status = run(property, settings, DeedCli.out(spec), DeedCli.err(spec), Progress.forTerminal(DeedCli.err(spec)), report);
        Path file = viz.file;
        if (file != null) {
            visualize(config, settings, report.counterexample(), file);
        }
        if (faults > 0) {
            report.refusals(refusals.refused(), refusals.injected(), refusals.killed());
            if (!output.json) {
                DeedCli.out(spec).printf("soak: %d calls refused for lack of memory or pids (%d allocation failures injected);"
                        + " each changed nothing%n", refusals.refused(), refusals.injected());
                DeedCli.out(spec).printf("soak: %d processes ended by SIGKILL when a page fault found no frame;"
                        + " everything they held came back%n", refusals.killed());
            }
        }
        report.print(DeedCli.out(spec));
        DeedCli.out(spec).flush();
        return status;
    }

    /** Replays one case: the property, architecture and pressure all come from the token. */
    private int replay(String text) {
        ReplayToken token;
        try {
            token = ReplayToken.parse(text);
        } catch (IllegalArgumentException e) {
            throw new DeedCli.UsageFailure("deed: --replay: " + e.getMessage());
        }
        FlagshipConfig config;
        try {
            config = FlagshipConfig.parse(token.property());
        } catch (IllegalArgumentException e) {
            throw new DeedCli.UsageFailure("deed: --replay: the token is for property '" + token.property()
                    + "', which deed soak does not run (it runs flagship-ARCH properties); replay it with the command its failure printed");
        }
        var parsed = spec.commandLine().getParseResult();
        if (parsed.hasMatchedOption("--arch") && !arch.arch.equals(config.arch())) {
            throw new DeedCli.UsageFailure("deed: --replay: the token is for " + config.arch() + " (property " + token.property()
                    + "), not --arch " + arch.arch + "; leave --arch out");
        }
        if (parsed.hasMatchedOption("--paging") && !java.util.Objects.equals(arch.paging, config.paging())) {
            throw new DeedCli.UsageFailure("deed: --replay: the token is for paging " + (config.paging() == null ? "the default"
                    : config.paging()) + " (property " + token.property() + "), not --paging " + arch.paging + "; leave --paging out");
        }
        if (parsed.hasMatchedOption("--faults") && faults != config.pressure().faultRate()) {
            throw new DeedCli.UsageFailure("deed: --replay: the token was recorded with --faults " + config.pressure().faultRate()
                    + " (property " + token.property() + "), not " + faults + "; leave --faults out");
        }
        if (parsed.hasMatchedOption("--cpus") && cpus != config.cpus()) {
            throw new DeedCli.UsageFailure("deed: --replay: the token was recorded on " + config.cpus() + " CPU(s) (property "
                    + token.property() + "), not --cpus " + cpus + "; leave --cpus out");
        }
        if (parsed.hasMatchedOption("--inject") && inject.bug() != config.planted()) {
            throw new DeedCli.UsageFailure("deed: --replay: the token was recorded " + (config.planted() == null ? "with no bug planted"
                    : "with --inject " + config.planted()) + " (property " + token.property() + "); leave --inject out");
        }
        if (PagingFormats.available().stream().noneMatch(f -> f.arch().equals(config.arch()))) {
            throw new DeedCli.UsageFailure("deed: --replay: the token is for '" + config.arch() + "', which is not an architecture here");
        }
        Recorder recorder = new Recorder();
        Path file = viz.file;
        LifecycleProperty<?, ?> property = Flagship.property(config, new Refusals(), file == null ? RunObserver.NONE : recorder);
        TrialResult result = property.replay(token, Settings.defaults().withTrialTimeout(Duration.ofSeconds(60)));
        if (file != null) {
            Map<String, String> about = about(config);
            about.put("run", "replay of " + text);
            about.put("outcome", outcome(result));
            VizOption.write(recorder, about, file, DeedCli.err(spec));
        }
        PrintWriter out = DeedCli.out(spec);
        SoakReport report = new SoakReport(token.property(), output);
        Failure failure = result.failure();
        report.replayed(result.steps(), failure, text);
        if (!output.json) {
            out.printf("soak: replayed %d steps of %s: %s%n", result.steps().size(), token.property(),
                    failure == null ? "passes now" : "fails again at step " + failure.step());
            for (int i = 0; i < result.steps().size(); i++) {
                out.printf("  %d. %s%n", i + 1, result.steps().get(i));
            }
            if (failure != null) {
                out.println("Failure: " + failure.message());
                String layer = CaughtBy.layer(failure.cause());
                if (layer != null) {
                    out.println("Caught by " + layer);
                }
            }
        }
        report.print(out);
        out.flush();
        return failure == null ? 0 : DeedCli.FAILURE;
    }

    /**
     * Writes the report of one trial, recorded by running it again: the shrunk counterexample's if the
     * soak failed (its replay), else the first trial (same seed, one trial).
     */
    private void visualize(FlagshipConfig config, Settings settings, @Nullable Counterexample failed, Path file) {
        Recorder recorder = new Recorder();
        LifecycleProperty<?, ?> recorded = Flagship.property(config, new Refusals(), recorder);
        Map<String, String> about = about(config);
        if (failed != null) {
            TrialResult replay = recorded.replay(failed.replay(), Settings.defaults().withTrialTimeout(Duration.ofSeconds(60)));
            about.put("run", "the shrunk failing case: " + failed.steps().size() + " steps (replay " + failed.replay() + ")");
            about.put("outcome", outcome(replay));
        } else {
            recorded.run(settings.withTrials(1), (trial, result) -> about.put("outcome", outcome(result)));
            about.put("run", "the first trial (every trial held)");
        }
        VizOption.write(recorder, about, file, DeedCli.err(spec));
    }

    private static Map<String, String> about(FlagshipConfig config) {
        Map<String, String> about = new LinkedHashMap<>();
        about.put("arch", config.arch());
        about.put("CPUs", Integer.toString(config.cpus()));
        about.put("property", config.name());
        return about;
    }

    private static String outcome(TrialResult result) {
        Failure f = result.failure();
        return f == null ? "held: every invariant after every step" : "FAILED at step " + f.step() + ": " + f.message();
    }

    /** Runs {@code property}; progress on {@code err}, the result on {@code out} (unless JSON). Exit code 0 if it held. */
    static int run(LifecycleProperty<?, ?> property, Settings settings, PrintWriter out, PrintWriter err, Progress progress,
                   SoakReport report) {
        long[] steps = new long[1];
        int[] failures = new int[1];
        int total = settings.trials();
        Outcome outcome = property.run(settings, (trial, result) -> {
            steps[0] += result.steps().size();
            failures[0] += result.failed() ? 1 : 0;
            progress.trialDone(trial + 1, total, steps[0], failures[0]);
        });
        progress.finish();
        report.outcome(outcome);
        Counterexample c = outcome.counterexample();
        if (!report.json()) {
            if (c == null) {
                out.printf("soak: '%s' held for %d trials, %d steps; no failures%n", property.name(), outcome.trials(), outcome.steps());
            } else {
                out.println(c.report());
                String layer = CaughtBy.layer(c.failure().cause());
                if (layer != null) {
                    out.println("Caught by " + layer);
                }
            }
        }
        out.flush();
        return c == null ? 0 : DeedCli.FAILURE;
    }
}
