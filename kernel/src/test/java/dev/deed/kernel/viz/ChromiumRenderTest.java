package dev.deed.kernel.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.kernel.boot.KernelConfig;
import dev.deed.kernel.soak.Flagship;
import dev.deed.kernel.soak.FlagshipConfig;
import dev.deed.kernel.soak.Pressure;
import dev.deed.kernel.soak.Refusals;
import dev.deed.kernel.workload.Transcript;
import dev.deed.kernel.workload.WorkloadRun;
import dev.deed.kernel.workload.Workloads;
import dev.deed.lifecycle.Settings;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The report in a real browser: Debian's Chromium, headless, loads it from disk (no network), runs its
 * script without an error, draws every cell of the frame map, and takes a screenshot. Skipped without
 * Chromium, except where DEED_REQUIRE_CHROMIUM=1 (CI), where its absence fails.
 */
class ChromiumRenderTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @ParameterizedTest
    @ValueSource(strings = {"riscv64", "i386"})
    void theDemosReportRendersWithoutAScriptError(String arch, @TempDir Path dir) throws Exception {
        String chromium = chromium();
        Recorder recorder = new Recorder();
        KernelConfig config = KernelConfig.of(arch, 256L << 20).withCpus(2);
        WorkloadRun.run(config, Workloads.named("demo"), 0, Transcript.quiet(), sys -> { }, plan -> { }, recorder);
        Path page = dir.resolve("report.html");
        VizReport.write(recorder, Map.of("arch", arch), page);

        String body = body(chromium, dir, page);
        assertTrue(body.contains("data-rendered=\"yes\""), "the script ran to its end: " + body);
        assertFalse(body.contains("data-errors"), "no script error: " + body);
        assertTrue(body.contains("data-cells=\"" + (config.memory() >> 12) + "\""), "a cell per frame: " + body);
        assertTrue(body.matches(".*data-links=\"[1-9][0-9]*\".*"), "the copy-on-write shares are linked: " + body);

        Path png = dir.resolve("report.png");
        run(chromium, dir, "--window-size=1400,2400", "--screenshot=" + png, page.toUri().toString());
        byte[] image = Files.readAllBytes(png);
        assertArrayEquals(PNG, Arrays.copyOf(image, 8), "a PNG");
        ByteBuffer ihdr = ByteBuffer.wrap(image, 16, 8);
        assertEquals(1400, ihdr.getInt(), "width");
        assertEquals(2400, ihdr.getInt(), "height");
        assertTrue(image.length > 50_000, "a page with content, not a blank one: " + image.length + " bytes");
    }

    /** A failing soak's report (its shrunk case, replayed under the recorder) opens as well. */
    @Test
    void aFailingSoaksReportRenders(@TempDir Path dir) throws Exception {
        String chromium = chromium();
        FlagshipConfig config = new FlagshipConfig("riscv64", Pressure.NONE, dev.deed.frame.PlantedBug.B3, 1, null);
        var outcome = Flagship.property(config, new Refusals()).run(Settings.defaults().withTrials(5).withMaxSteps(20).withSeed(3));
        var failed = outcome.counterexample();
        assertTrue(failed != null, "B3 planted: the property fails");
        Recorder recorder = new Recorder();
        var replay = Flagship.property(config, new Refusals(), recorder).replay(failed.replay(), Settings.defaults());
        assertTrue(replay.failed(), "the replay fails again, recorded");
        Path page = dir.resolve("soak.html");
        VizReport.write(recorder, Map.of("run", "shrunk"), page);
        String body = body(chromium, dir, page);
        assertTrue(body.contains("data-rendered=\"yes\""), body);
        assertFalse(body.contains("data-errors"), body);
    }

    private static String body(String chromium, Path dir, Path page) throws IOException, InterruptedException {
        String dom = run(chromium, dir, "--dump-dom", page.toUri().toString());
        Matcher m = Pattern.compile("<body[^>]*>").matcher(dom);
        assertTrue(m.find(), "a body in the rendered DOM");
        return m.group();
    }

    /** Runs headless Chromium with a profile in {@code dir}; bounded: a browser that hangs fails the test. */
    private static String run(String chromium, Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--user-data-dir=" + dir.resolve("profile")));
        command.addAll(List.of(args));
        Path out = dir.resolve("chromium.out");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(dir.resolve("chromium.err").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 60 s: " + command);
        }
        assertEquals(0, p.exitValue(), "Chromium: " + Files.readString(dir.resolve("chromium.err")));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String chromium() {
        for (String dir : String.valueOf(System.getenv("PATH")).split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        if ("1".equals(System.getenv("DEED_REQUIRE_CHROMIUM"))) {
            throw new AssertionError("chromium required (DEED_REQUIRE_CHROMIUM=1) but not on PATH");
        }
        Assumptions.abort("chromium is not installed; .ci/run installs it (apt-get install chromium)");
        throw new AssertionError("unreachable");
    }
}
