package dev.deed.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Fault injection from the command line: {@code boot --fail-nth/--fail-site} and {@code soak --faults}. */
class FaultCommandsTest {

    @Test
    void bootWithTheNthFrameAllocationFailingShowsTheRefusalAndAFullReturn() {
        CliRun run = CliRun.of("boot", "--workload", "demo", "--fail-nth", "30", "--fail-site", "frame");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("── fault injection: allocation 30 at frame was made to fail"), run.out());
        assertTrue(run.out().contains("ended by throwing: SyscallException: ENOMEM: out of memory: injected fault at frame"), run.out());
        assertTrue(run.out().endsWith("Every frame, heap block, pid, task and kernel stack came back.\n"), run.out());
    }

    @Test
    void aFaultTheRunNeverReachesIsSaidSo() {
        CliRun run = CliRun.of("boot", "--workload", "threads", "--scale", "2", "--fail-nth", "100000", "--fail-site", "pid");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("allocation 100000 at pid never came"), run.out());
    }

    @Test
    void initThatCannotStartIsReportedAndLeavesNothing() {
        CliRun run = CliRun.of("boot", "--fail-nth", "1", "--fail-site", "pid");
        assertEquals(1, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("failures: [init could not start: EAGAIN: no free pid (injected fault at pid)]"), run.out());
        assertTrue(run.out().contains("came back, but the run did not end cleanly"), run.out());
    }

    @Test
    void badFaultArgumentsAreOneLineUsageErrors() {
        assertEquals("deed: --fail-nth 0 must be at least 1 (allocations are counted from 1)",
                usage("boot", "--fail-nth", "0"));
        assertEquals("deed: --fail-site: unknown fault site 'disk'; sites: frame, page-table, heap, kernel-stack, pid",
                usage("boot", "--fail-nth", "3", "--fail-site", "disk"));
        assertEquals("deed: --fail-site needs --fail-nth", usage("boot", "--fail-site", "heap"));
        assertEquals("deed: --faults 2.0 must be a fraction from 0 to 1", usage("soak", "--faults", "2"));
        assertTrue(usage("boot", "--fail-nth", "many").startsWith("deed: Invalid value for option '--fail-nth'"));
    }

    @Test
    void soakUnderFaultsRefusesCallsAndEachChangesNothing() {
        CliRun run = CliRun.of("soak", "--steps", "400", "--faults", "0.5", "--seed", "7");
        assertEquals(0, run.exit(), run.out() + run.err());
        Matcher m = Pattern.compile("soak: (\\d+) calls refused for lack of memory or pids \\((\\d+) allocation failures injected\\)")
                .matcher(run.out());
        assertTrue(m.find(), run.out());
        assertTrue(Long.parseLong(m.group(1)) > 0 && Long.parseLong(m.group(2)) > 0, "faults really fired: " + run.out());
    }

    private static String usage(String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(2, run.exit(), run.out() + run.err());
        return run.errLine();
    }
}
