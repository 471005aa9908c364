package dev.deed.lifecycle;

/** Thrown by {@link LifecycleProperty#check()}: its message is the counterexample's report. */
public final class PropertyFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final transient Counterexample counterexample;

    public PropertyFailure(Counterexample counterexample) {
        super(counterexample.report(), counterexample.failure().cause());
        this.counterexample = counterexample;
    }

    public Counterexample counterexample() {
        return counterexample;
    }
}
