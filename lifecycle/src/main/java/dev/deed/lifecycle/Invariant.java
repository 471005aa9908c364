package dev.deed.lifecycle;

import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A condition that must hold after every step (and before the first). The check returns
 * {@code null} when the invariant holds, or a description of the violation.
 */
public record Invariant<M, S>(String name, Check<M, S> check) {

    @FunctionalInterface
    public interface Check<M, S> {
        @Nullable String violation(S system, M model);
    }

    public Invariant {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an invariant needs a non-blank name");
        }
    }

    public static <M, S> Invariant<M, S> of(String name, Check<M, S> check) {
        return new Invariant<>(name, check);
    }
}
