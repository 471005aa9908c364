package dev.deed.kernel.cli;

import java.util.Locale;

/** Memory sizes on the command line: bytes, or a number with K, M, G (or KiB, MiB, GiB). */
final class Sizes {
    private Sizes() {
    }

    static long parse(String option, String text) {
        String t = text.strip().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        long unit = 1;
        if (t.endsWith("K")) {
            unit = 1L << 10;
        } else if (t.endsWith("M")) {
            unit = 1L << 20;
        } else if (t.endsWith("G")) {
            unit = 1L << 30;
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new DeedCli.UsageFailure("deed: " + option + " '" + text + "' is not a size; use bytes or a number with K, M or G (e.g. 256M)");
        }
        if (bytes < (16L << 20) || bytes > (64L << 30) || bytes % 4096 != 0) {
            throw new DeedCli.UsageFailure("deed: " + option + " '" + text + "' must be a multiple of 4 KiB from 16M to 64G");
        }
        return bytes;
    }
}
