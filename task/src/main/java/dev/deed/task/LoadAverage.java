package dev.deed.task;

/**
 * Linux's load average: every {@link #PERIOD} ticks (5 s of simulated time) the number of running
 * and runnable tasks is folded into three exponentially decaying averages, over 1, 5 and 15 minutes,
 * in the same 11-bit fixed point as Linux's {@code calc_load}.
 */
final class LoadAverage {
    /** Ticks between samples: Linux's LOAD_FREQ, 5 seconds. */
    static final long PERIOD = 5L * Scheduler.HZ;
    private static final int FSHIFT = 11;
    private static final long FIXED_1 = 1L << FSHIFT;
    /** 1 / exp(5 s / 1 min), 1 / exp(5 s / 5 min), 1 / exp(5 s / 15 min), in fixed point (Linux's EXP_1, EXP_5, EXP_15). */
    private static final long[] EXP = {1884, 2014, 2037};

    private final long[] loads = new long[3];

    /** Folds in one sample of {@code active} tasks. */
    void sample(int active) {
        long a = active * FIXED_1;
        for (int i = 0; i < 3; i++) {
            long load = loads[i] * EXP[i] + a * (FIXED_1 - EXP[i]);
            if (a >= loads[i]) {
                load += FIXED_1 - 1;
            }
            loads[i] = load >> FSHIFT;
        }
    }

    /** The three averages as /proc/loadavg prints them ({@code 0.00 0.00 0.00}). */
    String formatted() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            long whole = loads[i] >> FSHIFT;
            long hundredths = ((loads[i] & (FIXED_1 - 1)) * 100 + FIXED_1 / 2) >> FSHIFT;
            if (hundredths == 100) {
                whole++;
                hundredths = 0;
            }
            b.append(i == 0 ? "" : " ").append(whole).append('.').append(hundredths < 10 ? "0" : "").append(hundredths);
        }
        return b.toString();
    }
}
