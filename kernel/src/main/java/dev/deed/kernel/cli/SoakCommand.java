package dev.deed.kernel.cli;

import dev.deed.kernel.soak.Flagship;
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

    @Spec
    CommandSpec spec;

    @Override
    @SuppressWarnings("required.method.not.called") // picocli owns its writers
    public Integer call() {
        if (ContextLayouts.available().stream().noneMatch(l -> l.arch().equals(arch))) {
            throw new DeedCli.UsageFailure("deed: --arch '" + arch + "' is not an architecture here; available: "
                    + String.join(", ", ContextLayouts.available().stream().map(l -> l.arch()).toList()));
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
        return run(Flagship.property(arch), settings, spec.commandLine().getOut(), spec.commandLine().getErr(),
                "./deed soak --arch " + arch);
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
