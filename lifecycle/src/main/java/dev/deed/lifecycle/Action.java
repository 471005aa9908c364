package dev.deed.lifecycle;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * One kind of operation a lifecycle property may perform, such as "allocate" or "free one of the
 * live handles". Given the model it decides whether it is enabled, then draws its arguments
 * (choosing among the model's live objects where it needs to) and returns the bound {@link Step}.
 *
 * @param <M> the model: the property's idea of what the system should look like
 * @param <S> the system under test
 */
public interface Action<M, S> {

    /** A short stable name, used in reports and swarm weights. */
    String name();

    /** Whether the action makes sense in this model state (e.g. "there is a live handle"). */
    boolean precondition(M model);

    /** Draws the arguments and returns the step to apply. Called only when the precondition holds. */
    Step<M, S> generate(Choices choices, M model);

    /** Chooses arguments for an action. */
    @FunctionalInterface
    interface Generator<M, S> {
        Step<M, S> generate(Choices choices, M model);
    }

    /** An action that is always enabled. */
    static <M, S> Action<M, S> of(String name, Generator<M, S> generator) {
        return of(name, model -> true, generator);
    }

    /** An action enabled when {@code precondition} holds for the model. */
    static <M, S> Action<M, S> of(String name, Predicate<? super M> precondition, Generator<M, S> generator) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(precondition, "precondition");
        Objects.requireNonNull(generator, "generator");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an action needs a non-blank name");
        }
        return new Action<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean precondition(M model) {
                return precondition.test(model);
            }

            @Override
            public Step<M, S> generate(Choices choices, M model) {
                return generator.generate(choices, model);
            }

            @Override
            public String toString() {
                return "Action[" + name + "]";
            }
        };
    }
}
