package dev.deed.kernel.cli;

import dev.deed.kernel.viz.Recorder;
import dev.deed.kernel.viz.VizReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Option;

/** {@code --viz FILE}: also write the run as a self-contained HTML report (what {@code deed viz} writes). */
@SuppressWarnings("initialization.field.uninitialized") // picocli injects the option
final class VizOption {
    @Option(names = "--viz", paramLabel = "FILE", description = "Also write an HTML report of the run to FILE (see deed viz).")
    @Nullable Path file;

    /** Writes {@code recorder}'s report to {@code out} and says so on {@code err}; a file that cannot be written is a usage error. */
    static void write(Recorder recorder, Map<String, String> about, Path out, PrintWriter err) {
        long bytes;
        try {
            bytes = VizReport.write(recorder, about, out);
        } catch (IOException e) {
            throw new DeedCli.UsageFailure("deed: cannot write the report to " + out + ": " + e.getMessage());
        }
        err.printf("deed: wrote the run's report to %s (%d KiB); open it in a browser%n", out, (bytes + 1023) / 1024);
        err.flush();
    }
}
