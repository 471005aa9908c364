package dev.deed.lifecycle;

/** A value with a non-negative weight, for {@link Choices#pickWeighted}. */
public record Weighted<T>(T value, int weight) {
    public Weighted {
        if (weight < 0) {
            throw new IllegalArgumentException("weight must be >= 0, got " + weight + " for " + value);
        }
    }
}
