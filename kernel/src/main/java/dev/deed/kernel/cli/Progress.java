package dev.deed.kernel.cli;

import java.io.PrintWriter;

/**
 * Soak progress on stderr: on a terminal, one line rewritten in place (bar, trials, steps, rate,
 * elapsed time and ETA); otherwise a plain line every twentieth of the run. Wall-clock time is read
 * for this display only, never for a kernel decision.
 */
final class Progress {
    private final PrintWriter err;
    private final boolean inPlace;
    private final long started = System.nanoTime();
    private int lastWidth;
    private boolean written;

    Progress(PrintWriter err, boolean inPlace) {
        this.err = err;
        this.inPlace = inPlace;
    }

    /** In place if the process talks to a terminal, plain lines otherwise. */
    static Progress forTerminal(PrintWriter err) {
        java.io.Console console = System.console();
        return new Progress(err, console != null && console.isTerminal());
    }

    void trialDone(int done, int total, long steps, int failures) {
        boolean milestone = total <= 20 || done % Math.max(1, total / 20) == 0 || done == total;
        if (!inPlace && !milestone) {
            return;
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        double eta = seconds / done * (total - done);
        String line = String.format("  [%-30s] trial %d/%d  %d steps  %.0f steps/s  elapsed %s  ETA %s  %d failures",
                "#".repeat(done * 30 / total), done, total, steps, steps / seconds, clock(seconds), clock(eta), failures);
        if (inPlace) {
            err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
        } else {
            err.println(line);
        }
        written = true;
        err.flush();
    }

    /** Ends an in-place line. */
    void finish() {
        if (inPlace && written) {
            err.println();
            err.flush();
        }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
