package dev.deed.lifecycle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A lifecycle property: a model, a system under test, the actions that drive both and the
 * invariants that relate them. Build one with {@link #named(String)}, then call {@link #check()}
 * from a JUnit test method. A system that is {@link AutoCloseable} is closed at the end of every
 * trial, passing or failing (after {@code finish}).
 *
 * <pre>{@code
 * LifecycleProperty.<Model, Pool>named("pool")
 *     .model(Model::new).system(m -> new Pool())
 *     .action("acquire", (c, m) -> Step.of("acquire", (pool, model) -> model.add(pool.acquire())))
 *     .action("release", m -> !m.live.isEmpty(), (c, m) -> {
 *         int h = c.pick(m.live);
 *         return Step.of("release #" + h, (pool, model) -> { pool.release(h); model.remove(h); });
 *     })
 *     .invariant("counts agree", (pool, m) -> pool.live() == m.live.size() ? null : "pool " + pool.live())
 *     .build().check();
 * }</pre>
 */
public final class LifecycleProperty<M, S> {
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private final String name;
    private final Function<Choices, ? extends M> model;
    private final Function<? super M, ? extends S> system;
    private final List<Action<M, S>> actions;
    private final List<Invariant<M, S>> invariants;
    private final Step.@Nullable Effect<M, S> finish;

    private LifecycleProperty(Builder<M, S> b, Function<Choices, ? extends M> model, Function<? super M, ? extends S> system) {
        this.name = b.name;
        this.model = model;
        this.system = system;
        this.actions = List.copyOf(b.actions);
        this.invariants = List.copyOf(b.invariants);
        this.finish = b.finish;
    }

    public static <M, S> Builder<M, S> named(String name) {
        return new Builder<>(name);
    }

    public String name() {
        return name;
    }

    List<Action<M, S>> actions() {
        return actions;
    }

    List<Invariant<M, S>> invariants() {
        return invariants;
    }

    Step.@Nullable Effect<M, S> finish() {
        return finish;
    }

    M newModel(Choices setup) {
        return model.apply(setup);
    }

    S newSystem(M m) {
        return system.apply(m);
    }

    /** Checks with {@link Settings#fromSystemProperties()}; throws {@link PropertyFailure} on failure. */
    public void check() {
        check(Settings.fromSystemProperties());
    }

    /**
     * As {@link #check()}, for a property checked by an inherited method (a conformance kit's): the
     * {@code Replay:} line names {@code testClass}, the concrete test, not the kit that declares the check.
     */
    public void checkFor(Class<?> testClass) {
        check(Settings.fromSystemProperties().withReplayCommand(ReplayCommand.forTest(testClass)));
    }

    /**
     * Checks with the given settings; throws {@link PropertyFailure} with the shrunk report on failure,
     * whose {@code Replay:} line is the command that re-runs the case from the calling test class.
     */
    public void check(Settings settings) {
        Settings withCommand = settings.replayCommand() != null ? settings : settings.withReplayCommand(ReplayCommand.fromCaller());
        Counterexample counterexample = run(withCommand).counterexample();
        if (counterexample != null) {
            throw new PropertyFailure(counterexample);
        }
    }

    public Outcome run(Settings settings) {
        return run(settings, TrialListener.none());
    }

    /**
     * Runs the trials (or, if {@code settings.replay()} is a token for this property, only that case),
     * shrinking the first failure.
     */
    public Outcome run(Settings settings, TrialListener listener) {
        String replay = settings.replay();
        if (replay != null) {
            ReplayToken token = ReplayToken.parse(replay);
            if (!token.property().equals(name)) {
                return new Outcome(name, 0, 0, Map.of(), null); // a replay runs only the property it names
            }
            return replayOutcome(token, settings);
        }
        long[] counts = new long[actions.size()];
        long steps = 0;
        try (Watchdog watchdog = new Watchdog()) {
            for (int t = 0; t < settings.trials(); t++) {
                long seed = trialSeed(settings.seed(), t);
                Trial<M, S> trial = new Trial<>(this, RecordedChoices.seeded(seed), settings.maxSteps(), settings.swarm());
                TrialResult result = watchdog.run(trial, settings.trialTimeout());
                steps += result.steps().size();
                long[] trialCounts = trial.actionCounts();
                for (int a = 0; a < counts.length; a++) {
                    counts[a] += trialCounts[a];
                }
                listener.trialFinished(t, result);
                Failure failure = result.failure();
                if (failure != null) {
                    Counterexample c = shrink(watchdog, settings, result, failure, t, seed);
                    return new Outcome(name, t + 1, steps, countsByName(counts), c);
                }
            }
        }
        return new Outcome(name, settings.trials(), steps, countsByName(counts), null);
    }

    /** Replays one choice sequence exactly (as {@code -Ddeed.replay} does), under the time bound. */
    public TrialResult replay(ReplayToken token, Settings settings) {
        if (!token.property().equals(name)) {
            throw new IllegalArgumentException("replay token is for property '" + token.property()
                    + "', not '" + name + "'");
        }
        try (Watchdog watchdog = new Watchdog()) {
            return replayOn(watchdog, token.choices(), token.swarm(), settings);
        }
    }

    private Outcome replayOutcome(ReplayToken token, Settings settings) {
        TrialResult result = replay(token, settings);
        ReplayCommand.log(name, result);
        Failure failure = result.failure();
        Counterexample c = failure == null ? null
                : counterexample(-1, 0, result.steps().size(), 0, result, failure, token.swarm(), settings);
        return new Outcome(name, 1, result.steps().size(), Map.of(), c);
    }

    private Counterexample counterexample(int trial, long seed, int originalSteps, int shrinkRuns, TrialResult minimal,
                                          Failure failure, boolean swarm, Settings settings) {
        ReplayToken token = new ReplayToken(name, swarm, minimal.choices());
        String template = settings.replayCommand();
        String command = (template == null ? "-Ddeed.replay=" + ReplayCommand.TOKEN : template).replace(ReplayCommand.TOKEN, token.encode());
        return new Counterexample(name, trial, seed, originalSteps, shrinkRuns, minimal.steps(), failure, token, command);
    }

    private TrialResult replayOn(Watchdog watchdog, long[] choices, boolean swarm, Settings settings) {
        // Each step consumes at least one choice, so the sequence itself bounds the run.
        Trial<M, S> trial = new Trial<>(this, RecordedChoices.replaying(choices), Integer.MAX_VALUE, swarm);
        return watchdog.run(trial, settings.trialTimeout());
    }

    private Counterexample shrink(Watchdog watchdog, Settings settings, TrialResult failing, Failure failure,
                                  int trial, long seed) {
        // A hang costs a whole time bound per replay, so hangs get a small shrink budget.
        int budget = failure.signature().equals(Failure.TIMEOUT)
                ? Math.min(settings.maxShrinkRuns(), 12) : settings.maxShrinkRuns();
        Shrinker shrinker = new Shrinker(c -> replayOn(watchdog, c, settings.swarm(), settings), failing, budget);
        TrialResult minimal = shrinker.shrink();
        Failure minimalFailure = minimal.failure();
        if (minimalFailure == null) {
            throw new IllegalStateException("the shrinker returned a passing trial for '" + name + "'");
        }
        return counterexample(trial, seed, failing.steps().size(), shrinker.runs(), minimal, minimalFailure, settings.swarm(), settings);
    }

    private Map<String, Long> countsByName(long[] counts) {
        Map<String, Long> byName = new LinkedHashMap<>();
        for (int a = 0; a < counts.length; a++) {
            byName.merge(actions.get(a).name(), counts[a], Long::sum);
        }
        return byName;
    }

    /** Trial {@code t}'s seed: a mix of the root seed, the property name and the trial index. */
    long trialSeed(long root, int t) {
        return mix(root ^ mix(name.hashCode()) + GOLDEN * (t + 1L));
    }

    private static long mix(long z) { // SplitMix64's finaliser
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** Collects the parts of a property. {@link #model} and {@link #system} are required. */
    public static final class Builder<M, S> {
        private final String name;
        private @Nullable Function<Choices, ? extends M> model;
        private @Nullable Function<? super M, ? extends S> system;
        private final List<Action<M, S>> actions = new ArrayList<>();
        private final List<Invariant<M, S>> invariants = new ArrayList<>();
        private Step.@Nullable Effect<M, S> finish;

        private Builder(String name) {
            ReplayToken.requireValidName(name);
            this.name = name;
        }

        /** A fresh model per trial. */
        public Builder<M, S> model(Supplier<? extends M> fresh) {
            Objects.requireNonNull(fresh, "model");
            this.model = setup -> fresh.get();
            return this;
        }

        /**
         * A fresh model per trial, built from drawn setup choices (a machine size, say): the draws are
         * recorded before any step's, so they replay and shrink like every other choice. Order the
         * options simplest first.
         */
        public Builder<M, S> modelFrom(Function<Choices, ? extends M> fresh) {
            this.model = Objects.requireNonNull(fresh, "model");
            return this;
        }

        /** A fresh system under test per trial, given that trial's fresh model. */
        public Builder<M, S> system(Function<? super M, ? extends S> fresh) {
            this.system = Objects.requireNonNull(fresh, "system");
            return this;
        }

        public Builder<M, S> action(Action<M, S> action) {
            actions.add(Objects.requireNonNull(action, "action"));
            return this;
        }

        public Builder<M, S> action(String name, Action.Generator<M, S> generator) {
            return action(Action.of(name, generator));
        }

        public Builder<M, S> action(String name, Predicate<? super M> precondition, Action.Generator<M, S> generator) {
            return action(Action.of(name, precondition, generator));
        }

        public Builder<M, S> invariant(String name, Invariant.Check<M, S> check) {
            invariants.add(Invariant.of(name, check));
            return this;
        }

        /** Runs after the last step of every trial that has not failed: release everything, check the baseline. */
        public Builder<M, S> finish(Step.Effect<M, S> effect) {
            this.finish = Objects.requireNonNull(effect, "finish");
            return this;
        }

        public LifecycleProperty<M, S> build() {
            Function<Choices, ? extends M> m = model;
            Function<? super M, ? extends S> s = system;
            if (m == null || s == null) {
                throw new IllegalStateException("property '" + name + "' needs a model(...) and a system(...)");
            }
            if (actions.isEmpty()) {
                throw new IllegalStateException("property '" + name + "' needs at least one action");
            }
            return new LifecycleProperty<>(this, m, s);
        }
    }
}
