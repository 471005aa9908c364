package dev.deed.lifecycle;

/** Told about every finished trial, in order; used for progress displays. */
@FunctionalInterface
public interface TrialListener {
    void trialFinished(int trial, TrialResult result);

    static TrialListener none() {
        return (trial, result) -> { };
    }
}
