package dev.deed.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.lifecycle.LifecycleProperty;
import dev.deed.lifecycle.Settings;
import dev.deed.lifecycle.Step;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real commands, run in-process through picocli: output and exit codes, every bad-argument path. */
class CommandsTest {

    @ParameterizedTest
    @ValueSource(strings = {"riscv64", "i386"})
    void demoShowsSyscallsListingsAndAFullReturn(String arch) {
        CliRun run = CliRun.of("demo", "--arch", arch);
        assertEquals(0, run.exit(), run.err());
        String out = run.out();
        assertTrue(out.startsWith("Deed: booting " + arch + " with 256 MiB on 2 CPUs, seed 1; init runs workload 'demo'"), out);
        assertTrue(out.contains("  cpu0 [pid ") && out.contains("  cpu1 [pid "), "the demo runs on two CPUs and says which: " + out);
        assertTrue(out.contains("[pid 1] fork() → hello = 2"), out);
        assertTrue(out.contains("[pid 2] execve(\"hello\", [hello, world])"), out);
        assertTrue(out.contains("[pid 3] spawnThread() = "), out);
        assertTrue(out.contains("orphan: my parent exited; /proc/self/status says PPid: 1"), out);
        assertTrue(out.contains("[pid 3] spawnThread() = 6"), "thread ids come from the pid space: " + out);
        assertTrue(out.contains("[pid 1] waitpid(-1) = 5 (exit status 7)"), out);
        assertTrue(out.contains("── ps, the children have run"), out);
        assertTrue(out.contains("MemTotal:         " + (arch.equals("i386") ? "261120" : "258048") + " kB"),
                "256 MiB less the reserved ranges: " + out);
        assertTrue(out.endsWith("Every frame, heap block, pid, task and kernel stack came back.\n"), out);
        assertEquals("", run.err());
    }

    @Test
    void quietDemoKeepsTheStoryWithoutTheSyscalls() {
        CliRun run = CliRun.of("demo", "--quiet");
        assertEquals(0, run.exit());
        assertFalse(run.out().contains("fork() →"), run.out());
        assertTrue(run.out().contains("init reaped 4 processes"), run.out());
    }

    @Test
    void bootRunsEveryWorkloadAndListsThem() {
        CliRun list = CliRun.of("boot", "--list-workloads");
        assertEquals(List.of("demo", "forkbomb", "threads", "mmap-churn", "procfs-walk"),
                list.out().lines().map(l -> l.split(" ")[0]).toList());
        for (String workload : List.of("forkbomb", "threads", "mmap-churn", "procfs-walk")) {
            for (String arch : List.of("riscv64", "i386")) {
                CliRun run = CliRun.of("boot", "--arch", arch, "--mem", "128M", "--workload", workload, "--seed", "3");
                assertEquals(0, run.exit(), workload + " on " + arch + ":\n" + run.out() + run.err());
                assertTrue(run.out().contains("came back"), run.out());
            }
        }
        CliRun bomb = CliRun.of("boot", "--workload", "forkbomb", "--scale", "50");
        assertTrue(bomb.out().contains("forkbomb: 50 processes forked"), bomb.out());
    }

    @Test
    void procPrintsFilesBeforeTheFinalReaping() {
        CliRun run = CliRun.of("proc", "--workload", "demo", "/proc/meminfo", "/proc/2/status", "/proc/7/cmdline");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("==> /proc/meminfo <==\nMemTotal:"), run.out());
        assertTrue(run.out().contains("==> /proc/2/status <==\nName:\thello\nUmask:\t0022\nState:\tZ (zombie)"), run.out());
        assertTrue(run.out().endsWith("==> /proc/7/cmdline <==\n"), "a zombie's command line is empty, as on Linux: " + run.out());
        CliRun missing = CliRun.of("proc", "--workload", "threads", "/proc/99/status");
        assertEquals(1, missing.exit());
        assertEquals("deed: /proc/99/status: ENOENT: no such file or directory: /proc/99/status", missing.errLine());
        CliRun listing = CliRun.of("proc", "--workload", "demo", "/proc", "/proc/1");
        assertEquals(0, listing.exit(), listing.err());
        assertTrue(listing.out().startsWith("==> /proc <==\n1\n2\n"), listing.out());
        assertTrue(listing.out().contains("==> /proc/1 <==\ncmdline\ncwd\nenviron\nfd\nio\nmaps\n"), listing.out());
        CliRun debug = CliRun.of("proc", "--workload", "threads", "/proc/99/status", "--debug");
        assertTrue(debug.err().contains("\tat dev.deed."), "--debug prints the stack trace");
    }

    @Test
    void badArgumentsAreOneLineWithTheAllowedValuesAndExitCode2() {
        String[][] cases = {
                {"deed: --arch 'vax' is not an architecture here; available: i386, riscv64, x86_64", "demo", "--arch", "vax"},
                {"deed: --mem '12' must be a multiple of 4 KiB from 16M to 64G", "demo", "--mem", "12"},
                {"deed: --mem 'lots' is not a size; use bytes or a number with K, M or G (e.g. 256M)", "boot", "--mem", "lots"},
                {"deed: --workload 'nope'; available: demo, forkbomb, threads, mmap-churn, procfs-walk", "boot", "--workload", "nope"},
                {"deed: --steps 0 and --steps-per-trial 40 must be positive", "soak", "--steps", "0"},
                {"deed: --seed seed 'x' is not a decimal or 0x-hex 64-bit number", "soak", "--seed", "x"},
                {"deed: Unknown option: '--bogus'", "demo", "--bogus"},
                {"deed: proc needs a /proc path to show or --tree DIR to write", "proc"},
                {"deed: --paging 'sv57' is not a paging format of riscv64; formats: sv39, sv48", "demo", "--paging", "sv57"},
                {"deed: --paging 'sv39' is not a paging format of i386; formats: i386", "boot", "--arch", "i386", "--paging", "sv39"},
                {"deed: --paging 'sv57' is not a paging format of riscv64; formats: sv39, sv48", "soak", "--paging", "sv57"},
                {"deed: --arch 'sv48' is not an architecture here; available: i386, riscv64, x86_64; sv48 is a paging format: --arch riscv64"
                        + " --paging sv48", "proc", "--arch", "sv48", "/proc/meminfo"},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            CliRun run = CliRun.of(args);
            assertEquals(2, run.exit(), String.join(" ", args) + ": " + run.err());
            assertTrue(run.errLine().startsWith(c[0]), run.err() + " should start with " + c[0]);
        }
        CliRun replay = CliRun.of("soak", "--replay", "junk");
        assertEquals(2, replay.exit());
        assertTrue(replay.errLine().startsWith("deed: --replay: replay token 'junk' is not of the form"), replay.err());
        CliRun foreign = CliRun.of("soak", "--replay", "paging-sv39:sAAAA");
        assertEquals(2, foreign.exit());
        assertEquals("deed: --replay: the token is for property 'paging-sv39', which deed soak does not run (it runs flagship-ARCH"
                + " properties); replay it with the command its failure printed", foreign.errLine());
        CliRun otherArch = CliRun.of("soak", "--arch", "i386", "--replay", "flagship-riscv64:sAAAA");
        assertEquals(2, otherArch.exit());
        assertEquals("deed: --replay: the token is for riscv64 (property flagship-riscv64), not --arch i386; leave --arch out",
                otherArch.errLine());
        CliRun otherFaults = CliRun.of("soak", "--faults", "0.5", "--replay", "flagship-riscv64-faults0.25:sAAAA");
        assertEquals(2, otherFaults.exit());
        assertTrue(otherFaults.errLine().contains("recorded with --faults 0.25"), otherFaults.err());
    }

    @Test
    void aReplayThatPassesSaysSoAndUsesTheTokensArchAndPressure() {
        CliRun run = CliRun.of("soak", "--replay", "flagship-i386-faults0.25:pAAAAAAAAAAA");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().startsWith("soak: replayed "), run.out());
        assertTrue(run.out().contains(" steps of flagship-i386-faults0.25: passes now"), run.out());
        CliRun json = CliRun.of("soak", "--replay", "flagship-i386-faults0.25:pAAAAAAAAAAA", "--json");
        assertTrue(json.out().contains("\"mode\":\"replay\"") && json.out().contains("\"passed\":true"), json.out());
    }

    @Test
    void aSmallSoakHolds() {
        CliRun run = CliRun.of("soak", "--arch", "i386", "--steps", "80", "--seed", "0x2a");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertEquals("soak: 'flagship-i386' held for 2 trials, 80 steps; no failures\n", run.out());
        assertTrue(run.err().contains("trial 2/2"), run.err());
    }

    @Test
    void aFailingSoakPrintsAReplayCommandThatReproduces() {
        LifecycleProperty<List<Integer>, int[]> leaky = LifecycleProperty.<List<Integer>, int[]>named("leaky")
                .model(ArrayList::new)
                .system(m -> new int[1])
                .action("open", (c, m) -> Step.of("open", (s, model) -> {
                    s[0]++;
                    model.add(1);
                }))
                .action("close", m -> !m.isEmpty(), (c, m) -> Step.of("close", (s, model) -> {
                    if (s[0] != 2) {
                        s[0]--;
                    }
                    model.remove(0);
                }))
                .invariant("counts agree", (s, m) -> s[0] == m.size() ? null : s[0] + " open, model " + m.size())
                .build();
        StringWriter out = new StringWriter();
        Settings settings = Settings.defaults().withTrials(50).withMaxSteps(30).withReplayCommand("./deed soak --replay {token}");
        PrintWriter err = new PrintWriter(new StringWriter(), true);
        int exit = SoakCommand.run(leaky, settings, new PrintWriter(out, true), err, new Progress(err, false),
                new SoakReport("leaky", new OutputOptions()));
        assertEquals(1, exit);
        String replayLine = out.toString().lines().filter(l -> l.startsWith("Replay:  ./deed soak --replay ")).findFirst().orElseThrow();
        String token = replayLine.substring("Replay:  ./deed soak --replay ".length());
        StringWriter again = new StringWriter();
        assertEquals(1, SoakCommand.run(leaky, settings.withReplay(token), new PrintWriter(again, true), err, new Progress(err, false),
                new SoakReport("leaky", new OutputOptions())));
        assertTrue(again.toString().contains("failed on replay:\n  1. open\n  2. open\n  3. close\n"), again.toString());
    }

    @Test
    void bugsReplaysAllFive() {
        CliRun run = CliRun.of("bugs");
        assertEquals(0, run.exit(), run.out());
        for (String id : List.of("B1", "B2", "B3", "B4", "B5")) {
            assertTrue(run.out().contains("\n" + id + "  ") || run.out().startsWith(id + "  "), id);
        }
        assertTrue(run.out().contains("it is in use on CPU 0; nothing was freed"), run.out());
        assertTrue(run.out().contains("build, in a helper (javac): rejected: compiler.err.cant.resolve.location.args"), run.out());
        assertTrue(run.out().contains("run time (free check: the drop of a frame it never handed out): BadFreeException"), run.out());
        assertTrue(run.out().contains("caught by run time: the reaper's last-reference check"), run.out());
        assertTrue(run.out().contains("run time (B5 planted: the destructor releases the untracked leaf): BadFreeException"), run.out());
        assertTrue(run.out().contains("compiler.err.not.def.public.cant.access"), run.out());
        assertTrue(run.out().contains("compiler.err.prob.found.req"), run.out());
        assertTrue(run.out().endsWith("All five are caught.\n"), run.out());
    }

    /** --paging sv48 boots a kernel on 4-level tables: the demo runs clean, and /proc/cpuinfo names the MMU it ran on. */
    @org.junit.jupiter.api.Test
    void sv48BootsAndRunsTheDemo() {
        CliRun demo = CliRun.of("demo", "--paging", "sv48", "--quiet");
        assertEquals(0, demo.exit(), demo.err());
        assertTrue(demo.out().startsWith("Deed: booting riscv64 (sv48 paging) with 256 MiB on 2 CPUs"), demo.out());
        assertTrue(demo.out().endsWith("Every frame, heap block, pid, task and kernel stack came back.\n"), demo.out());
        CliRun cpuinfo = CliRun.of("proc", "--paging", "sv48", "/proc/cpuinfo");
        assertEquals(0, cpuinfo.exit(), cpuinfo.err());
        assertTrue(cpuinfo.out().contains("mmu\t\t: sv48"), cpuinfo.out());
        assertTrue(CliRun.of("proc", "/proc/cpuinfo").out().contains("mmu\t\t: sv39"), "the default stays Sv39");
    }

    /** x86-64, added through the arch-module guide alone, boots and runs the demo on 4-level tables. */
    @Test
    void x86_64RunsTheDemo() {
        CliRun demo = CliRun.of("demo", "--arch", "x86_64", "--quiet");
        assertEquals(0, demo.exit(), demo.err());
        assertTrue(demo.out().startsWith("Deed: booting x86_64 with 256 MiB on 2 CPUs"), demo.out());
        assertTrue(demo.out().contains("MemTotal:         260096 kB"), "256 MiB less the 2 MiB kernel image: " + demo.out());
        assertTrue(demo.out().endsWith("Every frame, heap block, pid, task and kernel stack came back.\n"), demo.out());
        CliRun cpuinfo = CliRun.of("proc", "--arch", "x86_64", "/proc/cpuinfo");
        assertTrue(cpuinfo.out().contains("address sizes\t: 46 bits physical, 48 bits virtual"), cpuinfo.out());
    }
}
