package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The newcomer's command, end to end: {@code ./deed demo} as a process, on the CLI this very build
 * packaged (the kernel module is packaged before archtests runs; DEED_NO_BUILD keeps the launcher
 * from starting a second build inside this one).
 */
class DemoEndToEndTest {

    @Test
    void deedDemoRunsAndEverythingComesBack() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Reactor.root().resolve("deed").toString(), "demo").redirectErrorStream(true);
        pb.environment().put("DEED_NO_BUILD", "1");
        Process demo = pb.start();
        String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(demo.waitFor(120, TimeUnit.SECONDS), "./deed demo finished");
        assertEquals(0, demo.exitValue(), output);
        assertTrue(output.startsWith("Deed: booting riscv64 with 256 MiB"), output);
        assertTrue(output.contains("Every frame, heap block, pid, task and kernel stack came back."), output);
    }

    @Test
    void deedBugsFromTheLauncherRunsTheCheckerToo() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Reactor.root().resolve("deed").toString(), "bugs").redirectErrorStream(true);
        pb.environment().put("DEED_NO_BUILD", "1");
        Process bugs = pb.start();
        String output = new String(bugs.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bugs.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, bugs.exitValue(), output);
        assertTrue(output.contains("build, leaking the struct when the child's allocation fails (Resource Leak Checker): rejected:"
                + " [required.method.not.called]"), output);
        assertTrue(output.contains("build, in a destructor (Resource Leak Checker): the correct twin compiles"), output);
    }
}
