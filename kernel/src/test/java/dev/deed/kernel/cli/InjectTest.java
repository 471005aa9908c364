package dev.deed.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --inject}: each seed bug planted, on both architectures, is caught by the layer the README
 * names; the soak shrinks the run and its printed replay fails again the same way; a boot reports
 * the catch and fails.
 */
class InjectTest {
    private static final Pattern REPLAY = Pattern.compile("Replay: +\\./deed soak --replay (\\S+)");

    /** The bug, the workload that reaches its wrong step in a boot, and the catching layer's words. */
    static Stream<Arguments> bugs() {
        return Stream.of("riscv64", "i386").flatMap(arch -> Stream.of(
                Arguments.of(arch, "B1", "demo", "the heap's ownership check", "LiveChildrenException"),
                Arguments.of(arch, "B2", "threads", "the kernel-stack check", "StackInUseException"),
                Arguments.of(arch, "B3", "mmap-churn", "the frame allocator's minting check", "FrameStateException"),
                Arguments.of(arch, "B4", "procfs-walk", "the reaper's last-reference check", "IllegalStateException"),
                Arguments.of(arch, "B5", "demo", "the frame allocator's free check", "BadFreeException"),
                Arguments.of(arch, "B5_FLUSH", "mmap-churn", "the shootdown check", "StaleTranslationException")));
    }

    @ParameterizedTest(name = "soak {0} --inject {1}")
    @MethodSource("bugs")
    void theSoakIsCaughtShrunkAndReplayed(String arch, String bug, String workload, String layer, String exception) {
        CliRun run = CliRun.of("soak", "--inject", bug, "--arch", arch, "--steps", "400", "--seed", "7");
        assertEquals(DeedCli.FAILURE, run.exit(), run.out());
        assertTrue(run.out().contains("Lifecycle property 'flagship-" + arch + "-inject" + bug + "' failed"), run.out());
        String caught = "Caught by run time: " + layer;
        assertTrue(run.out().contains(caught) && run.out().contains("— " + exception), run.out());
        Matcher m = REPLAY.matcher(run.out());
        assertTrue(m.find(), run.out());

        CliRun replay = CliRun.of("soak", "--replay", m.group(1));
        assertEquals(DeedCli.FAILURE, replay.exit(), replay.out());
        assertTrue(replay.out().contains("fails again"), replay.out());
        assertTrue(replay.out().contains(caught), replay.out());
        CliRun conflicting = CliRun.of("soak", "--replay", m.group(1), "--inject", bug.equals("B1") ? "B2" : "B1");
        assertTrue(conflicting.errLine().contains("leave --inject out"), conflicting.err());
    }

    @ParameterizedTest(name = "boot {0} --inject {1}")
    @MethodSource("bugs")
    void theBootReportsTheCatchAndFails(String arch, String bug, String workload, String layer, String exception) {
        CliRun run = CliRun.of("boot", "--inject", bug, "--arch", arch, "--mem", "64M", "--workload", workload);
        assertEquals(DeedCli.FAILURE, run.exit(), run.out());
        assertTrue(run.out().contains("── caught: " + exception + ": "), run.out());
        assertTrue(run.out().contains("   by run time: " + layer), run.out());
    }

    @ParameterizedTest(name = "boot {0} without a planted bug catches nothing")
    @MethodSource("bugs")
    void withoutTheSwitchTheSameRunIsClean(String arch, String bug, String workload, String layer, String exception) {
        CliRun run = CliRun.of("boot", "--arch", arch, "--mem", "64M", "--workload", workload);
        assertEquals(0, run.exit(), run.out());
        assertTrue(!run.out().contains("── caught:"), run.out());
    }
}
