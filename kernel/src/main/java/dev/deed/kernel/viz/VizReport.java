package dev.deed.kernel.viz;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.deed.frame.Usage;
import dev.deed.kernel.boot.ResourceReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a recorded run as one self-contained HTML file: the page, its style and script (resources of
 * this package) and the run's data as JSON in a {@code <script type="application/json">} element.
 * No network, no external script or font: it opens from disk.
 */
public final class VizReport {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** The census's fields in the order the data lists them. */
    static final List<String> CENSUS = censusNames();

    private VizReport() {
    }

    /**
     * The report for {@code recorder}'s run. {@code about} is shown as the report's header, in order
     * (arch, workload, seed, outcome, …).
     */
    public static String html(Recorder recorder, Map<String, String> about) {
        String page = resource("report.html");
        String json = data(recorder, about).replace("</", "<\\/"); // a JSON string may not close the script element
        return page.replace("/*STYLE*/", resource("report.css"))
                .replace("/*SCRIPT*/", resource("report.js"))
                .replace("/*DATA*/", json);
    }

    /** Writes {@link #html} to {@code out}; returns its size in bytes. */
    public static long write(Recorder recorder, Map<String, String> about, Path out) throws IOException {
        byte[] bytes = html(recorder, about).getBytes(StandardCharsets.UTF_8);
        Files.write(out, bytes);
        return bytes.length;
    }

    /** The run's data as the page reads it (one JSON object). */
    static String data(Recorder r, Map<String, String> about) {
        StringWriter text = new StringWriter();
        try (text; JsonGenerator g = FACTORY.createGenerator(text)) {
            g.writeStartObject();
            g.writeObjectFieldStart("about");
            for (var e : about.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeStringField("paging", r.paging());
            g.writeStringField("RAM base", "0x" + Long.toHexString(r.ramBase()));
            g.writeStringField("steps", Long.toString(r.steps()));
            String unreadable = r.unreadable();
            if (unreadable != null) {
                g.writeStringField("unreadable", "a snapshot could not be read at " + unreadable);
            }
            g.writeEndObject();
            g.writeNumberField("cpus", r.cpus());
            g.writeNumberField("steps", r.steps());
            g.writeNumberField("droppedEvents", r.droppedEvents());
            g.writeArrayFieldStart("usages");
            g.writeString("free");
            g.writeString("reserved");
            for (Usage u : Usage.values()) {
                g.writeString(u.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("census");
            for (String c : CENSUS) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("strings");
            for (String s : r.strings()) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("lanes");
            for (Recorder.Lane l : r.lanes()) {
                g.writeStartArray();
                g.writeNumber(l.cpu());
                g.writeNumber(l.from());
                g.writeNumber(l.to());
                g.writeNumber(l.tid());
                g.writeNumber(l.name());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("events");
            for (Recorder.Point p : r.points()) {
                g.writeStartArray();
                g.writeNumber(p.step());
                g.writeNumber(p.cpu());
                g.writeString(p.kind().name().toLowerCase(Locale.ROOT));
                g.writeNumber(p.a());
                if (p.kind() == dev.deed.frame.Probe.Event.FAULT) {
                    g.writeString(Long.toHexString(p.b())); // an address: 64 bits, more than a JSON reader's double holds
                } else {
                    g.writeNumber(p.b());
                }
                g.writeNumber(p.text());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("snapshots");
            Map<Integer, Snapshot.Space> previous = Map.of();
            for (Snapshot s : r.snapshots()) {
                snapshot(g, s, previous);
                previous = byPid(s.spaces());
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static Map<Integer, Snapshot.Space> byPid(List<Snapshot.Space> spaces) {
        Map<Integer, Snapshot.Space> out = new java.util.HashMap<>();
        for (Snapshot.Space sp : spaces) {
            out.put(sp.pid(), sp);
        }
        return out;
    }

    /**
     * One snapshot. An address space identical to the one the same pid had in the previous snapshot
     * is written as {@code {"pid": N, "same": true}}: most spaces do not change between two samples,
     * and this is what keeps a long run's report small.
     */
    private static void snapshot(JsonGenerator g, Snapshot s, Map<Integer, Snapshot.Space> previous) throws IOException {
        g.writeStartObject();
        g.writeNumberField("step", s.step());
        g.writeStringField("label", s.label());
        g.writeFieldName("frames");
        g.writeArray(s.frameRuns(), 0, s.frameRuns().length);
        g.writeFieldName("shared");
        g.writeArray(s.shared(), 0, s.shared().length);
        g.writeArrayFieldStart("buddy");
        for (int n : s.buddy()) {
            g.writeNumber(n);
        }
        g.writeEndArray();
        g.writeFieldName("census");
        long[] census = census(s.census());
        g.writeArray(census, 0, census.length);
        g.writeArrayFieldStart("spaces");
        for (Snapshot.Space sp : s.spaces()) {
            g.writeStartObject();
            g.writeNumberField("pid", sp.pid());
            Snapshot.Space before = previous.get(sp.pid());
            if (before != null && sp.equals(before)) {
                g.writeBooleanField("same", true);
                g.writeEndObject();
                continue;
            }
            g.writeNumberField("ppid", sp.ppid());
            g.writeStringField("name", sp.name());
            g.writeStringField("state", String.valueOf(sp.state()));
            g.writeArrayFieldStart("nodes");
            for (Snapshot.Node n : sp.nodes()) {
                g.writeStartArray();
                g.writeNumber(n.frame());
                g.writeNumber(n.level());
                g.writeString(Long.toHexString(n.base()));
                g.writeNumber(n.valid());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("leaves");
            for (Snapshot.Leaf l : sp.leaves()) {
                g.writeStartArray();
                g.writeString(Long.toHexString(l.va()));
                g.writeNumber(l.frame());
                g.writeNumber(l.pages());
                g.writeNumber(l.flags());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("meminfo", s.meminfo());
        g.writeStringField("buddyinfo", s.buddyinfo());
        g.writeEndObject();
    }

    /** A census as numbers in {@link #CENSUS} order. */
    static long[] census(ResourceReport r) {
        Usage[] usages = Usage.values();
        long[] out = new long[CENSUS.size()];
        out[0] = r.freeFrames();
        for (int i = 0; i < usages.length; i++) {
            out[1 + i] = r.framesByUsage().getOrDefault(usages[i], 0L);
        }
        int k = 1 + usages.length;
        out[k] = r.heapBlocks();
        out[k + 1] = r.heapFrames();
        out[k + 2] = r.pids();
        out[k + 3] = r.processes();
        out[k + 4] = r.tasks();
        out[k + 5] = r.stacks();
        return out;
    }

    private static List<String> censusNames() {
        List<String> names = new java.util.ArrayList<>();
        names.add("free frames");
        for (Usage u : Usage.values()) {
            names.add("frames: " + u.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        names.addAll(List.of("heap blocks", "heap frames", "pids", "processes", "tasks", "kernel stacks"));
        return List.copyOf(names);
    }

    private static String resource(String name) {
        try (InputStream in = VizReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the report's " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
