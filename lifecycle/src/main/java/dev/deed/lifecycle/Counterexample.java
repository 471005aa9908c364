package dev.deed.lifecycle;

import java.util.List;

/**
 * A minimal failing run: the steps of the shrunk sequence, the failure it reproduces, and the token
 * that replays it.
 *
 * @param property      the property's name
 * @param trial         which trial first failed (-1 for a replayed token)
 * @param seed          that trial's seed
 * @param originalSteps steps in the failing trial before shrinking
 * @param shrinkRuns    replays the shrinker spent
 * @param steps         the description of every step of the minimal run
 * @param failure       how the minimal run fails
 * @param replay        the replay token of the minimal run
 * @param replayCommand the exact command that replays it (the token included)
 */
public record Counterexample(String property, int trial, long seed, int originalSteps, int shrinkRuns,
                             List<String> steps, Failure failure, ReplayToken replay, String replayCommand) {

    public Counterexample {
        steps = List.copyOf(steps);
    }

    /** The report a developer reads: what failed, the numbered steps, how to replay. */
    public String report() {
        StringBuilder out = new StringBuilder();
        out.append("Lifecycle property '").append(property).append("' failed");
        if (trial >= 0) {
            out.append(" in trial ").append(trial + 1).append(String.format(" (seed 0x%x)", seed))
                    .append("; shrunk from ").append(originalSteps).append(" to ").append(steps.size())
                    .append(" steps in ").append(shrinkRuns).append(" replays");
        } else {
            out.append(" on replay");
        }
        out.append(":\n");
        for (int i = 0; i < steps.size(); i++) {
            out.append("  ").append(i + 1).append(". ").append(steps.get(i)).append('\n');
        }
        out.append("Failure: ").append(failure.message()).append('\n');
        out.append("Replay:  ").append(replayCommand);
        return out.toString();
    }
}
