package dev.deed.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Linux's own tools read Deed's /proc unmodified: {@code deed proc --tree} writes it, then psutil
 * (Debian's python3-psutil) and procps-ng (ps aux, ps -eLf, top, free, vmstat, uptime, pmap -x,
 * slabtop) read it — psutil through PROCFS_PATH, procps with the tree bound over /proc in a private
 * mount namespace, never the machine's own — and {@code check.py} compares what they print with
 * Deed's files (ps RSS = VmRSS, the RSS sum = AnonPages, free = meminfo, …). Needs python3-psutil,
 * procps and unshare (util-linux), as root; {@code .ci/run} installs them.
 */
class LinuxToolsTest {

    static Stream<Arguments> trees() {
        return Stream.of("riscv64", "i386").flatMap(arch -> Stream.of(
                Arguments.of(arch, "demo", "0", "1"),            // zombies waiting for init
                Arguments.of(arch, "threads", "6", "2"),         // one process with 7 sleeping threads, 2 CPUs
                Arguments.of(arch, "procfs-walk", "4", "4"),     // sleepers, after /proc was read all over, 4 CPUs
                Arguments.of(arch, "forkbomb", "40", "1")));     // many processes, runnable and zombies
    }

    @ParameterizedTest(name = "{0} {1} on {3} CPUs")
    @MethodSource("trees")
    void psutilAndProcpsReadTheTreeAndPrintDeedsNumbers(String arch, String workload, String scale, String cpus, @TempDir Path dir)
            throws IOException, InterruptedException {
        Path tree = dir.resolve("proc");
        CliRun write = CliRun.of("proc", "--arch", arch, "--cpus", cpus, "--workload", workload, "--scale", scale,
                "--tree", tree.toString());
        assertEquals(0, write.exit(), write.err());
        assertTrue(write.err().startsWith("deed: wrote ") && Files.isSymbolicLink(tree.resolve("self")), write.err());

        Path script = dir.resolve("check.py");
        try (InputStream in = Objects.requireNonNull(LinuxToolsTest.class.getResourceAsStream("/linux-tools/check.py"))) {
            Files.copy(in, script);
        }
        Process check = new ProcessBuilder(List.of("unshare", "--mount", "--pid", "--fork", "/usr/bin/python3", script.toString(),
                tree.toString())).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(120, TimeUnit.SECONDS), output);
        assertEquals(0, check.exitValue(), output);
        assertTrue(output.endsWith("all checks passed\n"), output);
        assertTrue(output.contains("ok   top -b -n1: Tasks line") && output.contains("ok   free -k: total, free, available = meminfo's"),
                output);
    }
}
