package dev.deed.lifecycle;

import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One run of a property against one choice source: fresh model and system, optional swarm weights,
 * then steps until the step bound, the end of a replayed sequence, or a failure. Runs on whatever
 * thread calls {@link #run()}; {@link #partialResult} lets a watchdog report a hung run.
 */
final class Trial<M, S> {
    private final LifecycleProperty<M, S> property;
    private final RecordedChoices choices;
    private final int maxSteps;
    private final boolean swarm;
    private final StepLog log = new StepLog();
    private final long[] actionCounts;

    Trial(LifecycleProperty<M, S> property, RecordedChoices choices, int maxSteps, boolean swarm) {
        this.property = property;
        this.choices = choices;
        this.maxSteps = maxSteps;
        this.swarm = swarm;
        this.actionCounts = new long[property.actions().size()];
    }

    TrialResult run() {
        M model;
        S system;
        try {
            model = property.newModel(choices);
            system = property.newSystem(model);
        } catch (Throwable t) {
            return finish(Failure.thrown(t, 0, "while setting up"));
        }
        int[] weights = swarm ? drawSwarmWeights() : uniformWeights();
        Failure failure = checkInvariants(system, model, 0);
        int step = 0;
        while (failure == null && step < maxSteps && !choices.exhausted()) {
            List<Weighted<Integer>> enabled;
            try {
                enabled = enabledActions(weights, model);
            } catch (Throwable t) {
                failure = Failure.thrown(t, step, "in a precondition");
                break;
            }
            if (enabled.isEmpty()) {
                break;
            }
            int index = choices.pickWeighted(enabled);
            Action<M, S> action = property.actions().get(index);
            Step<M, S> next;
            try {
                next = action.generate(choices, model);
            } catch (Throwable t) {
                failure = Failure.thrown(t, step, "while generating '" + action.name() + "'");
                break;
            }
            log.add(next.description());
            actionCounts[index]++;
            step++;
            try {
                next.effect().apply(system, model);
            } catch (Throwable t) {
                failure = Failure.thrown(t, step, "in step " + step + " (" + next.description() + ")");
                break;
            }
            failure = checkInvariants(system, model, step);
        }
        if (failure == null && property.finish() != null) {
            failure = runFinish(system, model, step);
        }
        if (system instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Throwable t) {
                if (failure == null) {
                    failure = Failure.thrown(t, step, "while closing the system");
                }
            }
        }
        return finish(failure);
    }

    /** What the trial had done so far; safe to call from another thread while it hangs. */
    TrialResult partialResult(@Nullable Failure failure) {
        return new TrialResult(choices.recorded(), log.snapshot(), failure);
    }

    long[] actionCounts() {
        return actionCounts.clone();
    }

    private TrialResult finish(@Nullable Failure failure) {
        return partialResult(failure);
    }

    private @Nullable Failure runFinish(S system, M model, int step) {
        Step.Effect<M, S> finish = property.finish();
        if (finish == null) {
            return null;
        }
        try {
            finish.apply(system, model);
        } catch (Throwable t) {
            return Failure.thrown(t, step, "at the end of the trial (finish)");
        }
        return null;
    }

    /**
     * Swarm testing: each action gets weight 2 (draw 0, the simplest), 1, 4, or 0 (switched off).
     * If every action came out off, all are switched on again.
     */
    private int[] drawSwarmWeights() {
        int[] weights = new int[property.actions().size()];
        boolean any = false;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = switch ((int) choices.draw(4)) {
                case 0 -> 2;
                case 1 -> 1;
                case 2 -> 4;
                default -> 0;
            };
            any |= weights[i] > 0;
        }
        return any ? weights : uniformWeights();
    }

    private int[] uniformWeights() {
        int[] weights = new int[property.actions().size()];
        java.util.Arrays.fill(weights, 2);
        return weights;
    }

    private List<Weighted<Integer>> enabledActions(int[] weights, M model) {
        List<Action<M, S>> actions = property.actions();
        List<Weighted<Integer>> enabled = new ArrayList<>(actions.size());
        for (int i = 0; i < actions.size(); i++) {
            if (weights[i] > 0 && actions.get(i).precondition(model)) {
                enabled.add(new Weighted<>(i, weights[i]));
            }
        }
        return enabled;
    }

    private @Nullable Failure checkInvariants(S system, M model, int step) {
        for (Invariant<M, S> invariant : property.invariants()) {
            String violation;
            try {
                violation = invariant.check().violation(system, model);
            } catch (Throwable t) {
                return Failure.thrown(t, step, "while checking invariant '" + invariant.name() + "'");
            }
            if (violation != null) {
                return Failure.invariant(invariant.name(), violation, step);
            }
        }
        return null;
    }
}
