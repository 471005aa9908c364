package dev.deed.kernel.cli;

import dev.deed.kernel.soak.Flagship;
import dev.deed.kernel.soak.Pressure;
import dev.deed.kernel.soak.Refusals;
import dev.deed.lifecycle.Counterexample;
import dev.deed.lifecycle.LifecycleProperty;
import dev.deed.lifecycle.Outcome;
import dev.deed.lifecycle.ReplayToken;
import dev.deed.lifecycle.Settings;
import dev.deed.task.ContextLayouts;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code deed soak}: the flagship lifecycle property at scale, with progress, shrinking and a replay command. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Run the flagship lifecycle property (random fork/exec/exit/waitpid/threads/mmap/memory/proc",
                "syscalls against a model, invariants after every step) for --steps steps. On failure, print the",
                "shrunk sequence and the command that replays it."})
@SuppressWarnings("initialization.field.uninitialized") // picocli injects the options
final class SoakCommand implements Callable<Integer> {
    @Option(names = "--arch", defaultValue = "riscv64", description = "riscv64 or i386. Default: ${DEFAULT-VALUE}.")
    String arch = "riscv64";

    @Option(names = "--steps", defaultValue = "2000", description = "Steps in all. Default: ${DEFAULT-VALUE}.")
    int steps = 2000;

    @Option(names = "--steps-per-trial", defaultValue = "40", description = "Steps per trial (each boots a kernel). Default: ${DEFAULT-VALUE}.")
    int perTrial = 40;

    @Option(names = "--seed", defaultValue = "1", description = "Root seed (decimal or 0x hex). Default: ${DEFAULT-VALUE}.")
    String seed = "1";

    @Option(names = "--replay", paramLabel = "TOKEN", description = "Replay exactly one case, from a token a failure printed.")
    String replay;

    @Option(names = "--faults", paramLabel = "RATE", defaultValue = "0",
            description = {"Memory pressure: the fraction (0 to 1) of allocating syscalls (fork, exec, spawnThread, mmap)",
                    "that get one injected allocation failure; above 0, trials also run on machines of 16 to 128 MiB.",
                    "Every refusal must change nothing. Default: ${DEFAULT-VALUE}."})
    double faults;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (ContextLayouts.available().stream().noneMatch(l -> l.arch().equals(arch))) {
            throw new DeedCli.UsageFailure("deed: --arch '" + arch + "' is not an architecture here; available: "
                    + String.join(", ", ContextLayouts.available().stream().map(l -> l.arch()).toList()));
        }
        if (!(faults >= 0 && faults <= 1)) {
            throw new DeedCli.UsageFailure("deed: --faults " + faults + " must be a fraction from 0 to 1");
        }
        if (steps < 1 || perTrial < 1) {
            throw new DeedCli.UsageFailure("deed: --steps " + steps + " and --steps-per-trial " + perTrial + " must be positive");
        }
        long root;
        try {
            root = Settings.parseSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new DeedCli.UsageFailure("deed: --seed " + e.getMessage());
        }
        Settings settings = Settings.defaults().withTrials((steps + perTrial - 1) / perTrial).withMaxSteps(perTrial)
                .withSeed(root).withTrialTimeout(Duration.ofSeconds(60));
        if (replay != null) {
            try {
                ReplayToken.parse(replay);
            } catch (IllegalArgumentException e) {
                throw new DeedCli.UsageFailure("deed: --replay: " + e.getMessage());
            }
            settings = settings.withReplay(replay);
        }
        Pressure pressure = faults > 0 ? Pressure.faults(faults) : Pressure.NONE;
        Refusals refusals = new Refusals();
        int status = run(Flagship.property(arch, pressure, refusals), settings, DeedCli.out(spec), DeedCli.err(spec),
                "./deed soak --arch " + arch + (faults > 0 ? " --faults " + faults : ""));
        if (faults > 0) {
            DeedCli.out(spec).printf("soak: %d calls refused for lack of memory or pids (%d allocation failures injected);"
                    + " each changed nothing%n", refusals.refused(), refusals.injected());
            DeedCli.out(spec).flush();
        }
        return status;
    }

    /** Runs {@code property}; progress on {@code err}, the result on {@code out}. Exit code 0 if it held. */
    static int run(LifecycleProperty<?, ?> property, Settings settings, PrintWriter out, PrintWriter err, String command) {
        long started = System.nanoTime(); // for the steps/s display only; never for a decision
        long[] steps = new long[1];
        int total = settings.trials();
        Outcome outcome = property.run(settings, (trial, result) -> {
            steps[0] += result.steps().size();
            if (settings.replay() == null && (total <= 20 || (trial + 1) % Math.max(1, total / 20) == 0 || trial + 1 == total)) {
                double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
                int done = (trial + 1) * 30 / total;
                err.printf("  [%-30s] trial %d/%d  %d steps  %.0f steps/s  %d failures%n", "#".repeat(done), trial + 1, total,
                        steps[0], steps[0] / seconds, result.failed() ? 1 : 0);
                err.flush();
            }
        });
        Counterexample c = outcome.counterexample();
        if (c == null) {
            out.printf("soak: '%s' held for %d trials, %d steps; no failures%n", property.name(), outcome.trials(), outcome.steps());
            out.flush();
            return 0;
        }
        out.println(c.report());
        out.println("replay: " + command + " --replay " + c.replay().encode());
        out.flush();
        return DeedCli.FAILURE;
    }
}
