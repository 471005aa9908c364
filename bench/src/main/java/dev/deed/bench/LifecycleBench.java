package dev.deed.bench;

import dev.deed.lifecycle.LifecycleProperty;
import dev.deed.lifecycle.Settings;
import dev.deed.lifecycle.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The lifecycle engine's own cost per step: choose an action, draw arguments, apply, check one invariant. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class LifecycleBench {
    static final int STEPS = 10_000;

    private final LifecycleProperty<List<Integer>, int[]> property = LifecycleProperty.<List<Integer>, int[]>named("bench")
            .model(ArrayList::new)
            .system(m -> new int[1])
            .action("push", (c, m) -> {
                int v = c.below(1000);
                return Step.of("push " + v, (s, model) -> {
                    s[0]++;
                    model.add(v);
                });
            })
            .action("pop", m -> !m.isEmpty(), (c, m) -> {
                int i = c.below(m.size());
                return Step.of("pop " + i, (s, model) -> {
                    s[0]--;
                    model.remove(i);
                });
            })
            .invariant("sizes agree", (s, m) -> s[0] == m.size() ? null : "size")
            .build();
    private final Settings settings = Settings.defaults().withTrials(1).withMaxSteps(STEPS);

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public long step() {
        return property.run(settings).steps();
    }
}
