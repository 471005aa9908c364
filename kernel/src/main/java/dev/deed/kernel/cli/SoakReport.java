package dev.deed.kernel.cli;

import dev.deed.lifecycle.Counterexample;
import dev.deed.lifecycle.Failure;
import dev.deed.lifecycle.Outcome;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What {@code deed soak --json} prints: the run or the replay, its failure and replay token, the timings. */
final class SoakReport {
    private final String property;
    private final OutputOptions output;
    private final long started = System.nanoTime(); // for the reported duration only
    private @Nullable Outcome outcome;
    private @Nullable List<String> replayedSteps;
    private @Nullable Failure replayFailure;
    private @Nullable String replayToken;
    private long refused = -1;
    private long injected = -1;
    private long killed = -1;

    SoakReport(String property, OutputOptions output) {
        this.property = property;
        this.output = output;
    }

    boolean json() {
        return output.json;
    }

    void outcome(Outcome o) {
        outcome = o;
    }

    /** The shrunk failure of the run reported, if it failed. */
    @Nullable Counterexample counterexample() {
        Outcome o = outcome;
        return o == null ? null : o.counterexample();
    }

    void replayed(List<String> steps, @Nullable Failure failure, String token) {
        replayedSteps = steps;
        replayFailure = failure;
        replayToken = token;
    }

    void refusals(long refusedCalls, long injectedFaults, long killedProcesses) {
        refused = refusedCalls;
        injected = injectedFaults;
        killed = killedProcesses;
    }

    /** Prints the JSON object if {@code --json} was given (the text was printed as the run went). */
    void print(PrintWriter out) {
        if (!output.json) {
            return;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        out.print(Json.object(g -> {
            g.writeStringField("command", "soak");
            g.writeStringField("property", property);
            Outcome o = outcome;
            List<String> steps = replayedSteps;
            if (o != null) {
                g.writeStringField("mode", "run");
                g.writeNumberField("trials", o.trials());
                g.writeNumberField("steps", o.steps());
                g.writeBooleanField("passed", o.passed());
                g.writeObjectFieldStart("actions");
                for (Map.Entry<String, Long> e : o.actionCounts().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                Counterexample c = o.counterexample();
                if (c != null) {
                    g.writeObjectFieldStart("failure");
                    g.writeStringField("message", c.failure().message());
                    g.writeNumberField("step", c.failure().step());
                    g.writeNumberField("originalSteps", c.originalSteps());
                    Json.strings(g, "steps", c.steps());
                    g.writeStringField("replayToken", c.replay().encode());
                    g.writeStringField("replayCommand", c.replayCommand());
                    g.writeEndObject();
                }
            } else if (steps != null) {
                Failure f = replayFailure;
                g.writeStringField("mode", "replay");
                g.writeStringField("replayToken", String.valueOf(replayToken));
                g.writeNumberField("steps", steps.size());
                g.writeBooleanField("passed", f == null);
                Json.strings(g, "replayedSteps", steps);
                if (f != null) {
                    g.writeObjectFieldStart("failure");
                    g.writeStringField("message", f.message());
                    g.writeNumberField("step", f.step());
                    g.writeEndObject();
                }
            }
            if (refused >= 0) {
                g.writeNumberField("refusedCalls", refused);
                g.writeNumberField("injectedFaults", injected);
                g.writeNumberField("killedInFaults", killed);
            }
            g.writeNumberField("elapsedMillis", millis);
        }));
    }
}
