package dev.deed.lifecycle;

import java.util.List;

/**
 * The only source of randomness a lifecycle property may use. Every method reduces to
 * {@link #draw(long)}: one bounded, non-negative integer whose value 0 is the "simplest" choice,
 * which is what shrinking lowers values towards. Order your options simplest first.
 */
public interface Choices {

    /**
     * Draws an integer in {@code [0, bound)}.
     *
     * @throws IllegalArgumentException if {@code bound < 1}
     */
    long draw(long bound);

    /** An int in {@code [0, bound)}. */
    default int below(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("below(bound) needs bound >= 1, got " + bound);
        }
        return (int) draw(bound);
    }

    /** An int in {@code [min, max]}, shrinking towards {@code min}. */
    default int between(int min, int max) {
        return (int) between((long) min, (long) max);
    }

    /** A long in {@code [min, max]}, shrinking towards {@code min}. */
    default long between(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("between(min, max) needs min <= max, got " + min + " > " + max);
        }
        long span = max - min + 1;
        if (span <= 0) { // overflow: more values than a long can count
            throw new IllegalArgumentException("between(" + min + ", " + max + ") spans more than Long.MAX_VALUE values");
        }
        return min + draw(span);
    }

    /** True with probability {@code 1/oneIn}; shrinks towards false. */
    default boolean oneIn(int oneIn) {
        if (oneIn < 1) {
            throw new IllegalArgumentException("oneIn(n) needs n >= 1, got " + oneIn);
        }
        return draw(oneIn) == oneIn - 1;
    }

    /** One of {@code options}, shrinking towards the first. */
    default <T> T pick(List<? extends T> options) {
        if (options.isEmpty()) {
            throw new IllegalArgumentException("pick(options) needs at least one option, got an empty list");
        }
        return options.get(below(options.size()));
    }

    /** One of {@code options}, each chosen in proportion to its weight, shrinking towards the first. */
    default <T> T pickWeighted(List<Weighted<T>> options) {
        long total = 0;
        for (Weighted<T> option : options) {
            total = Math.addExact(total, option.weight());
        }
        if (total == 0) {
            throw new IllegalArgumentException("pickWeighted(options) needs a positive total weight, got "
                    + options.size() + " options weighing 0");
        }
        long ticket = draw(total);
        for (Weighted<T> option : options) {
            if (ticket < option.weight()) {
                return option.value();
            }
            ticket -= option.weight();
        }
        throw new IllegalStateException("draw(" + total + ") returned a value out of range");
    }
}
