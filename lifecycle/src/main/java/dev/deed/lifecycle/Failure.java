package dev.deed.lifecycle;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Why a trial failed. Two failures are "the same" for shrinking when their {@link #signature()}s
 * are equal: the exception class, {@code invariant '<name>'}, or {@code timeout}.
 *
 * @param signature what kind of failure this is
 * @param message   a readable account of it
 * @param step      how many steps had been applied when it was detected (0: before the first)
 * @param cause     the exception thrown, if any
 */
public record Failure(String signature, String message, int step, @Nullable Throwable cause) {

    static final String TIMEOUT = "timeout";

    static Failure thrown(Throwable t, int step, String during) {
        return new Failure(t.getClass().getName(),
                t.getClass().getSimpleName() + " " + during + ": " + t.getMessage(), step, t);
    }

    static Failure invariant(String name, String violation, int step) {
        return new Failure("invariant '" + name + "'",
                "invariant '" + name + "' broken after step " + step + ": " + violation, step, null);
    }

    /** True for the same kind of failure, whatever its details. */
    public boolean sameAs(Failure other) {
        return signature.equals(other.signature);
    }
}
