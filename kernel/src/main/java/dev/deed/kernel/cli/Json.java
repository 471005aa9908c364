package dev.deed.kernel.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.deed.frame.Usage;
import dev.deed.kernel.boot.ResourceReport;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/** JSON output, written by Jackson's streaming generator (escaping and structure are the library's, never ours). */
final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** Writes the fields of one object. */
    @FunctionalInterface
    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private Json() {
    }

    /** One object holding {@code fields}, on one line (one object per line: what scripts and jq read best). */
    static String object(Fields fields) {
        StringWriter text = new StringWriter();
        try (text; JsonGenerator g = FACTORY.createGenerator(text)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text + "\n";
    }

    static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /** A resource report as an object: frames by usage (lower-case names), heap, pids, processes, tasks, stacks. */
    static void resources(JsonGenerator g, String field, ResourceReport r) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeNumberField("freeFrames", r.freeFrames());
        g.writeObjectFieldStart("framesByUsage");
        for (Usage u : Usage.values()) {
            g.writeNumberField(u.name().toLowerCase(Locale.ROOT), r.framesByUsage().getOrDefault(u, 0L));
        }
        g.writeEndObject();
        g.writeNumberField("heapBlocks", r.heapBlocks());
        g.writeNumberField("heapFrames", r.heapFrames());
        g.writeNumberField("pids", r.pids());
        g.writeNumberField("processes", r.processes());
        g.writeNumberField("tasks", r.tasks());
        g.writeNumberField("kernelStacks", r.stacks());
        g.writeEndObject();
    }
}
