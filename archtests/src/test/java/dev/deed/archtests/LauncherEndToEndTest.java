package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as a newcomer meets it, as a process, on the CLI this very build packaged
 * (DEED_NO_BUILD keeps it from starting a build inside this one; DEED_CLI_DIR points it at it).
 */
class LauncherEndToEndTest {
    private record Run(int exit, String output) {
    }

    private static Run deed(Path launcher, String stdin, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DEED_NO_BUILD", "1");
        pb.environment().put("DEED_CLI_DIR", Reactor.classesOf("kernel").getParent().toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished: " + String.join(" ", args));
        return new Run(p.exitValue(), output);
    }

    private static Path launcher() {
        return Reactor.root().resolve("deed");
    }

    @Test
    void aSymlinkToTheLauncherWorksFromAnywhere(@TempDir Path elsewhere) throws Exception {
        Path link = Files.createSymbolicLink(elsewhere.resolve("deed"), launcher());
        Run version = deed(link, "", Map.of(), "--version");
        Files.delete(link);
        assertEquals(0, version.exit(), version.output());
        assertTrue(version.output().startsWith("deed "), version.output());
    }

    @Test
    void underTheCLocaleTheOutputIsPlainAscii() throws Exception {
        Run demo = deed(launcher(), "", Map.of("LC_ALL", "C", "LANG", "C"), "demo", "--quiet");
        Run utf8 = deed(launcher(), "", Map.of("LC_ALL", "C.UTF-8"), "demo", "--quiet");
        assertEquals(0, demo.exit(), demo.output());
        assertTrue(demo.output().contains("-- /proc/meminfo at boot"), demo.output());
        assertTrue(utf8.output().contains("── /proc/meminfo at boot"), utf8.output());
        assertEquals(utf8.output().chars().filter(c -> c == '?').count(), demo.output().chars().filter(c -> c == '?').count(),
                "nothing printed as '?' that ps did not print so itself:\n" + demo.output());
    }

    @Test
    void testHelpPrintsUsageAndNoSummary() throws Exception {
        Run help = deed(launcher(), "", Map.of(), "test", "--help");
        assertEquals(0, help.exit(), help.output());
        assertTrue(help.output().startsWith("Usage: ./deed test [MODULE [TestClass]] [--replay TOKEN]"), help.output());
        assertFalse(help.output().contains("Tests:"), "no bogus summary:\n" + help.output());
    }

    @Test
    void testOfOneModuleAndOneReplayTranslatesToTheRightMavenRun() throws Exception {
        Run run = deed(launcher(), "", Map.of("DEED_DRY_RUN", "1"), "test", "lifecycle", "PlantedBugTest", "--replay", "toy-counter:sAAAAAAIA");
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("verify -pl lifecycle -am -Dtest=PlantedBugTest -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Ddeed.replay=toy-counter:sAAAAAAIA -Ddeed.replayLog="), run.output());
        Run module = deed(launcher(), "", Map.of("DEED_DRY_RUN", "1"), "test", "arch-i386");
        assertTrue(module.output().contains("-pl arch-i386 -am -Dtest=dev.deed.arch.i386.\\*\\*"), "only the module's own tests: " + module.output());
        Run unknown = deed(launcher(), "", Map.of(), "test", "nosuch");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.output().startsWith("deed: test: 'nosuch' is not a module of Deed; modules: lifecycle frame"), unknown.output());
    }

    @Test
    void theShellHasABootedKernelAtHand() throws Exception {
        Run shell = deed(launcher(), """
                int child = run(sys -> sys.fork(c -> c.exit(7)));
                proc("/proc/" + child + "/status");
                run(sys -> sys.waitpid(child));
                /exit
                """, Map.of(), "shell");
        assertEquals(0, shell.exit(), shell.output());
        assertTrue(shell.output().contains("child ==> 2"), shell.output());
        assertTrue(shell.output().contains("State:\tZ (zombie)"), shell.output());
        assertTrue(shell.output().contains("WaitResult[pid=2, status=7]"), shell.output());
    }
}
