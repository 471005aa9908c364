package dev.deed.lifecycle;

import java.util.Objects;

/**
 * An action with its arguments chosen: a readable description (shown in failure reports, so it
 * names every argument) and the effect to apply to the system under test and the model.
 */
public record Step<M, S>(String description, Effect<M, S> effect) {

    /** What a step does. Throwing anything is a failure of the property. */
    @FunctionalInterface
    public interface Effect<M, S> {
        void apply(S system, M model) throws Exception;
    }

    public Step {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(effect, "effect");
    }

    public static <M, S> Step<M, S> of(String description, Effect<M, S> effect) {
        return new Step<>(description, effect);
    }
}
