package dev.deed.kernel.cli;

import dev.deed.frame.OutOfFramesException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code deed bugs}: replays B1–B5. For each, the original bug in one line, what Deed does, and what
 * each layer said when the original misuse was performed just now: the compiler's error key for
 * every build-time form, the run-time check's refusal, the regression's resource counts.
 */
@Command(name = "bugs", mixinStandardHelpOptions = true,
        description = "Perform the five kernel bugs' original misuse, now, and show which layer catches each.")
@SuppressWarnings("initialization.field.uninitialized") // picocli injects the spec
final class BugsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws OutOfFramesException {
        PrintWriter out = DeedCli.out(spec);
        List<Evidence> bugs = List.of(B1Evidence.run(), B2Evidence.run(), B3Evidence.run(), B4Evidence.run(), B5Evidence.run());
        List<String> missed = new ArrayList<>();
        for (Evidence b : bugs) {
            b.layers.stream().filter(l -> l.evidence() == null).forEach(l -> missed.add(b.id + ": " + l.layer()));
        }
        if (output.json) {
            out.print(Json.object(g -> {
                g.writeArrayFieldStart("bugs");
                for (Evidence b : bugs) {
                    g.writeStartObject();
                    g.writeStringField("id", b.id);
                    g.writeStringField("original", b.original);
                    g.writeStringField("deed", b.deed);
                    g.writeArrayFieldStart("layers");
                    for (Evidence.Layer l : b.layers) {
                        g.writeStartObject();
                        g.writeStringField("layer", l.layer());
                        String evidence = l.evidence();
                        g.writeBooleanField("caught", evidence != null);
                        if (evidence != null) {
                            g.writeStringField("evidence", evidence);
                        }
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeBooleanField("allCaught", missed.isEmpty());
            }));
        } else {
            for (Evidence b : bugs) {
                out.println(b.id + "  " + b.original);
                out.println("    Deed: " + b.deed);
                for (Evidence.Layer l : b.layers) {
                    String evidence = l.evidence();
                    out.println("    " + l.layer() + ": " + (evidence == null ? "NOT CAUGHT" : evidence));
                }
            }
            out.println(missed.isEmpty() ? "All five are caught." : "NOT caught: " + missed);
        }
        out.flush();
        return missed.isEmpty() ? 0 : DeedCli.FAILURE;
    }
}
