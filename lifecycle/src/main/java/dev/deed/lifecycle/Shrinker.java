package dev.deed.lifecycle;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Test-case reduction on the choice sequence (after Hypothesis): delete chunks, zero chunks, lower
 * single values by binary search; keep an edit only if replaying it reproduces the same failure with
 * a shortlex-smaller consumed sequence. Passes repeat until none helps or the run budget is spent.
 */
final class Shrinker {
    /** Chunk sizes for deletion and zeroing; 3 and 6 fit steps that draw three choices. */
    private static final int[] CHUNKS = {8, 6, 4, 3, 2, 1};

    private final Function<long[], TrialResult> replay;
    private final Failure target;
    private final int budget;
    private TrialResult best;
    private int runs;

    Shrinker(Function<long[], TrialResult> replay, TrialResult failing, int budget) {
        Failure failure = failing.failure();
        if (failure == null) {
            throw new IllegalArgumentException("only a failing trial can be shrunk");
        }
        this.replay = replay;
        this.target = failure;
        this.budget = budget;
        this.best = failing;
    }

    TrialResult shrink() {
        boolean improved = true;
        while (improved && runs < budget) {
            improved = deleteChunks() | zeroChunks() | lowerValues();
        }
        return best;
    }

    int runs() {
        return runs;
    }

    private boolean deleteChunks() {
        boolean improved = false;
        for (int k : CHUNKS) {
            for (int i = best.choices().length - k; i >= 0; i--) {
                long[] current = best.choices();
                if (i + k > current.length) {
                    continue;
                }
                long[] candidate = new long[current.length - k];
                System.arraycopy(current, 0, candidate, 0, i);
                System.arraycopy(current, i + k, candidate, i, current.length - i - k);
                improved |= consider(candidate);
            }
        }
        return improved;
    }

    private boolean zeroChunks() {
        boolean improved = false;
        for (int k : CHUNKS) {
            for (int i = 0; i + k <= best.choices().length; i++) {
                long[] candidate = best.choices();
                boolean nonZero = false;
                for (int j = i; j < i + k; j++) {
                    nonZero |= candidate[j] != 0;
                    candidate[j] = 0;
                }
                if (nonZero) {
                    improved |= consider(candidate);
                }
            }
        }
        return improved;
    }

    private boolean lowerValues() {
        boolean improved = false;
        for (int i = 0; i < best.choices().length; i++) {
            long low = -1; // largest value known not to reproduce (or none)
            long high = best.choices()[i];
            while (high - low > 1 && runs < budget) {
                long mid = low + (high - low) / 2;
                long[] candidate = best.choices();
                if (i >= candidate.length) {
                    break;
                }
                candidate[i] = mid;
                if (consider(candidate)) {
                    improved = true;
                    high = i < best.choices().length ? best.choices()[i] : 0;
                } else {
                    low = mid;
                }
            }
        }
        return improved;
    }

    private boolean consider(long[] candidate) {
        if (runs >= budget || !shortlexLess(candidate, best.choices())) {
            return false;
        }
        runs++;
        TrialResult result = replay.apply(candidate);
        Failure failure = result.failure();
        if (failure != null && failure.sameAs(target) && shortlexLess(result.choices(), best.choices())) {
            best = result;
            return true;
        }
        return false;
    }

    static boolean shortlexLess(long[] a, long[] b) {
        if (a.length != b.length) {
            return a.length < b.length;
        }
        return Arrays.compare(a, b) < 0;
    }
}
