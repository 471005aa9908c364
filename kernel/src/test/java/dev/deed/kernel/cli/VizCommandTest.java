package dev.deed.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deed viz} and {@code --viz FILE} on demo, boot and soak: a report is written, bad arguments are one line. */
class VizCommandTest {

    @Test
    void vizWritesAReportOfTheWorkload(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("report.html");
        CliRun run = CliRun.of("viz", "--arch", "i386", "--workload", "threads", "--cpus", "3", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.errLine().startsWith("deed: wrote the run's report to " + out), run.err());
        String html = Files.readString(out);
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
        assertTrue(html.contains("\"workload\":\"threads\"") && html.contains("\"CPUs\":\"3\"") && html.contains("\"paging\":\"i386\""),
                "the header names the run");
    }

    @Test
    void demoBootAndSoakWriteTheirRunWithViz(@TempDir Path dir) throws Exception {
        CliRun demo = CliRun.of("demo", "--quiet", "--viz", dir.resolve("demo.html").toString());
        assertEquals(0, demo.exit(), demo.err());
        assertTrue(demo.out().endsWith("came back.\n"), "the demo's own output is unchanged");
        CliRun boot = CliRun.of("boot", "--workload", "forkbomb", "--json", "--viz", dir.resolve("boot.html").toString());
        assertEquals(0, boot.exit(), boot.err());
        assertTrue(boot.out().startsWith("{") && boot.out().lines().count() == 1, "--json stays one object: " + boot.out());
        CliRun soak = CliRun.of("soak", "--steps", "40", "--viz", dir.resolve("soak.html").toString());
        assertEquals(0, soak.exit(), soak.err());
        String soakPage = Files.readString(dir.resolve("soak.html"));
        assertTrue(soakPage.contains("the first trial (every trial held)"), "a passing soak shows its first trial");
        CliRun failing = CliRun.of("soak", "--steps", "200", "--inject", "B3", "--viz", dir.resolve("failing.html").toString());
        assertEquals(DeedCli.FAILURE, failing.exit(), failing.out());
        String failingPage = Files.readString(dir.resolve("failing.html"));
        assertTrue(failingPage.contains("the shrunk failing case") && failingPage.contains("FAILED at step"),
                "a failing soak shows its shrunk case, failing again");
    }

    @Test
    void badArgumentsAreOneLineWithExitCode2(@TempDir Path dir) {
        CliRun noOut = CliRun.of("viz");
        assertEquals(DeedCli.USAGE, noOut.exit());
        assertTrue(noOut.err().contains("--out"), noOut.err());

        CliRun badDir = CliRun.of("viz", "--out", dir.resolve("missing/dir/report.html").toString());
        assertEquals(DeedCli.USAGE, badDir.exit());
        assertTrue(badDir.errLine().startsWith("deed: cannot write the report to "), badDir.err());
        assertFalse(Files.exists(dir.resolve("missing")));

        CliRun badWorkload = CliRun.of("viz", "--workload", "nope", "--out", dir.resolve("r.html").toString());
        assertEquals(DeedCli.USAGE, badWorkload.exit());
        assertTrue(badWorkload.errLine().contains("nope"), badWorkload.err());

        CliRun badArch = CliRun.of("viz", "--arch", "vax", "--out", dir.resolve("r.html").toString());
        assertEquals(DeedCli.USAGE, badArch.exit());
        assertTrue(badArch.errLine().contains("'vax' is not an architecture here"), badArch.err());
    }
}
