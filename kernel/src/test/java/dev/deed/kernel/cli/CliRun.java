package dev.deed.kernel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the CLI: exit code and what it printed. */
record CliRun(int exit, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = DeedCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** Exactly one line on stderr. */
    String errLine() {
        if (err.lines().count() != 1) {
            throw new AssertionError("expected one line on stderr, got:\n" + err);
        }
        return err.strip();
    }
}
