package dev.deed.kernel.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Usage;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.kernel.boot.RunObserver;
import dev.deed.kernel.workload.Transcript;
import dev.deed.kernel.workload.WorkloadRun;
import dev.deed.kernel.workload.Workloads;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The report's data is the run's: recorded for every workload on both architectures, each snapshot's
 * frame map agrees with the census and with /proc read at the same moment, every shared frame's
 * reference count is the number of leaves that map it, the census comes back to the baseline, the
 * lanes and events tell the run's story, and recording does not change the run.
 */
class VizReportTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"riscv64, demo", "riscv64, forkbomb", "riscv64, threads", "riscv64, mmap-churn", "riscv64, procfs-walk",
            "i386, demo", "i386, forkbomb", "i386, threads", "i386, mmap-churn", "i386, procfs-walk"})
    void theReportsDataIsTheRunsOwn(String arch, String workload) throws Exception {
        KernelConfig config = KernelConfig.of(arch, 256L << 20).withCpus(2);
        Recorder recorder = new Recorder();
        WorkloadRun run = WorkloadRun.run(config, Workloads.named(workload), 0, Transcript.quiet(), sys -> { }, plan -> { }, recorder);
        assertTrue(run.clean(), "the run itself is clean");
        List<Snapshot> snaps = recorder.snapshots();
        assertTrue(snaps.size() >= 3, "boot, at least one step, the end: " + snaps.size());
        assertEquals(run.baseline(), snaps.get(0).census(), "the first snapshot is the baseline");
        assertEquals(run.after(), snaps.get(snaps.size() - 1).census(), "the last snapshot is the report after the run");
        for (Snapshot s : snaps) {
            frameMapAgreesWithCensusAndProc(s);
            sharedFramesAreCountedByTheirMappings(s);
        }
        assertTrue(snaps.stream().anyMatch(s -> !s.spaces().isEmpty()), "some snapshot shows an address space");

        Map<String, Integer> kinds = new HashMap<>();
        recorder.points().forEach(p -> kinds.merge(p.kind().name(), 1, Integer::sum));
        int exits = kinds.getOrDefault("EXIT", 0);
        assertEquals(exits, kinds.getOrDefault("REAP", 0), "every process that exited was reaped: " + kinds);
        assertEquals(exits, kinds.getOrDefault("FORK", 0) + 1, "every process but init was forked: " + kinds);
        assertTrue(kinds.getOrDefault("SYSCALL", 0) > 0, kinds.toString());
        lanesDoNotOverlap(recorder);

        WorkloadRun unrecorded = WorkloadRun.run(config, Workloads.named(workload), 0, Transcript.quiet(), sys -> { }, plan -> { },
                RunObserver.NONE);
        assertEquals(unrecorded.run().fingerprint(), run.run().fingerprint(), "recording only reads: the same run, switch for switch");
        assertEquals(unrecorded.run().switches(), run.run().switches());
    }

    /** The demo's copy-on-write fork is visible: a snapshot where two processes map the same frame read-only. */
    @Test
    void theDemosCopyOnWriteShareIsInTheData() throws Exception {
        Recorder recorder = new Recorder();
        WorkloadRun.run(KernelConfig.of("riscv64", 256L << 20).withCpus(2), Workloads.named("demo"), 0, Transcript.quiet(),
                sys -> { }, plan -> { }, recorder);
        boolean shared = false;
        for (Snapshot s : recorder.snapshots()) {
            for (int i = 0; i < s.shared().length; i += 2) {
                int frame = s.shared()[i];
                long mappers = s.spaces().stream().filter(sp -> sp.leaves().stream().anyMatch(l -> l.frame() == frame)).count();
                shared |= mappers >= 2;
            }
        }
        assertTrue(shared, "a frame mapped by two address spaces at once");
        long faults = recorder.points().stream().filter(p -> p.kind() == dev.deed.frame.Probe.Event.FAULT).count();
        assertTrue(faults > 0, "demand-zero and copy-on-write faults are events");
    }

    /** The page holds everything it needs (nothing fetched from anywhere) and its data parses back to the recording. */
    @Test
    void thePageIsSelfContainedAndItsDataParses() throws Exception {
        Recorder recorder = new Recorder();
        KernelConfig config = KernelConfig.of("i386", 128L << 20).withCpus(2);
        WorkloadRun.run(config, Workloads.named("demo"), 0, Transcript.quiet(), sys -> { }, plan -> { }, recorder);
        String html = VizReport.html(recorder, Map.of("arch", "i386"));
        for (String external : List.of(" src=", " href=", "url(", "@import", "<link", "https:")) {
            assertFalse(html.contains(external), "no external reference: " + external);
        }
        assertFalse(html.replace("http://www.w3.org/2000/svg", "").contains("http:"), "only the SVG namespace names a URL");
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "the data element");
        JsonNode data = new ObjectMapper().readTree(m.group(1));
        assertEquals("i386", data.get("about").get("arch").asText());
        assertEquals("i386", data.get("about").get("paging").asText());
        assertEquals(recorder.snapshots().size(), data.get("snapshots").size());
        assertEquals(recorder.points().size(), data.get("events").size());
        assertEquals(recorder.steps(), data.get("steps").asLong());
        JsonNode last = data.get("snapshots").get(data.get("snapshots").size() - 1);
        long frames = 0;
        for (int i = 1; i < last.get("frames").size(); i += 2) {
            frames += last.get("frames").get(i).asLong();
        }
        assertEquals(config.memory() >> 12, frames, "the frame map covers RAM");
    }

    /** A run of 10^5 steps still makes a small report: snapshots are sampled, unchanged spaces written once. */
    @Test
    void aLongRunMakesASmallReport() {
        Recorder recorder = new Recorder();
        WorkloadRun.run(KernelConfig.of("riscv64", 256L << 20), Workloads.named("mmap-churn"), 20_000, Transcript.quiet(), sys -> { },
                plan -> { }, recorder);
        assertTrue(recorder.steps() >= 100_000, "steps: " + recorder.steps());
        assertTrue(recorder.snapshots().size() <= Recorder.MAX_SNAPSHOTS + 2, "snapshots: " + recorder.snapshots().size());
        int bytes = VizReport.html(recorder, Map.of()).length();
        assertTrue(bytes < 10 << 20, "under 10 MB: " + bytes);
        long last = recorder.snapshots().get(recorder.snapshots().size() - 1).step();
        assertEquals(recorder.steps(), last, "the end snapshot is at the last step");
    }

    private static void frameMapAgreesWithCensusAndProc(Snapshot s) {
        for (Usage u : Usage.values()) {
            assertEquals((long) s.census().framesByUsage().getOrDefault(u, 0L), s.framesCoded(Snapshot.code(u)),
                    "frames used as " + u + " at step " + s.step());
        }
        assertEquals(s.census().freeFrames(), s.framesCoded(FrameAllocator.MAP_FREE), "free frames at step " + s.step());
        assertEquals(kb(s.meminfo(), "AnonPages"), 4 * s.framesCoded(Snapshot.code(Usage.USER)), s.meminfo());
        assertEquals(kb(s.meminfo(), "PageTables"), 4 * s.framesCoded(Snapshot.code(Usage.PAGE_TABLE)), s.meminfo());
        String[] buddy = s.buddyinfo().trim().split("\\s+");
        List<String> counts = List.of(buddy).subList(buddy.length - s.buddy().size(), buddy.length);
        assertEquals(s.buddy().stream().map(String::valueOf).toList(), counts, "buddy lists = /proc/buddyinfo: " + s.buddyinfo());
    }

    private static void sharedFramesAreCountedByTheirMappings(Snapshot s) {
        Map<Integer, Integer> mappings = new HashMap<>();
        for (Snapshot.Space sp : s.spaces()) {
            for (Snapshot.Leaf l : sp.leaves()) {
                if ((l.flags() & Snapshot.TRACKED) != 0 && (l.flags() & Snapshot.USER) != 0) {
                    mappings.merge(l.frame(), 1, Integer::sum);
                }
            }
        }
        Map<Integer, Integer> shared = new HashMap<>();
        for (int i = 0; i < s.shared().length; i += 2) {
            shared.put(s.shared()[i], s.shared()[i + 1]);
        }
        mappings.forEach((frame, mapped) -> assertEquals(mapped == 1 ? null : mapped, shared.get(frame),
                "frame #" + frame + " is mapped " + mapped + " times at step " + s.step()));
    }

    private static void lanesDoNotOverlap(Recorder recorder) {
        long[] end = new long[recorder.cpus()];
        for (Recorder.Lane l : recorder.lanes()) {
            assertTrue(l.from() <= l.to() && l.to() <= recorder.steps(), l.toString());
            assertTrue(l.from() >= end[l.cpu()], "lanes of cpu" + l.cpu() + " in order, not overlapping: " + l);
            end[l.cpu()] = l.to();
        }
    }

    private static long kb(String meminfo, String field) {
        Matcher m = Pattern.compile("(?m)^" + field + ":\\s+(\\d+) kB$").matcher(meminfo);
        assertTrue(m.find(), field + " in " + meminfo);
        return Long.parseLong(m.group(1));
    }
}
