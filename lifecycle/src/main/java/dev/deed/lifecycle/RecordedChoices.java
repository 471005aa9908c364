package dev.deed.lifecycle;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A {@link Choices} source that records every draw. It either generates fresh values from a seed
 * or replays a given sequence. When a replayed value exceeds its bound it is clamped to the largest
 * allowed value; past the end of the sequence every draw returns 0 and the source reports
 * {@link #exhausted()}, which is how a shortened sequence yields a shorter run.
 */
public final class RecordedChoices implements Choices {

    private final @Nullable SplittableRandom random;
    private final long[] replay;
    private long[] record = new long[32];
    /** Volatile so that a watchdog can read the choices of a hung trial (entries precede the count). */
    private volatile int size;

    private RecordedChoices(@Nullable SplittableRandom random, long[] replay) {
        this.random = random;
        this.replay = replay;
    }

    /** Fresh values, determined entirely by {@code seed}. */
    public static RecordedChoices seeded(long seed) {
        return new RecordedChoices(new SplittableRandom(seed), new long[0]);
    }

    /** Replays {@code sequence} (copied); every value must be non-negative. */
    public static RecordedChoices replaying(long[] sequence) {
        for (int i = 0; i < sequence.length; i++) {
            if (sequence[i] < 0) {
                throw new IllegalArgumentException("choice " + i + " is " + sequence[i] + "; choices are >= 0");
            }
        }
        return new RecordedChoices(null, sequence.clone());
    }

    @Override
    public long draw(long bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("draw(bound) needs bound >= 1, got " + bound);
        }
        long value;
        SplittableRandom source = random;
        if (source != null) {
            value = bound == 1 ? 0 : source.nextLong(bound);
        } else if (size < replay.length) {
            value = Math.min(replay[size], bound - 1);
        } else {
            value = 0;
        }
        int n = size;
        if (n == record.length) {
            record = Arrays.copyOf(record, n * 2);
        }
        record[n] = value;
        size = n + 1;
        return value;
    }

    /** True when replaying and every given choice has been consumed; never true for a seeded source. */
    public boolean exhausted() {
        return random == null && size >= replay.length;
    }

    /** How many draws were made. */
    public int drawCount() {
        return size;
    }

    /** Every draw so far, in order. */
    public long[] recorded() {
        int n = size;
        return Arrays.copyOf(record, n);
    }
}
