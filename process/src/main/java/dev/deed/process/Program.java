package dev.deed.process;

import java.util.List;
import java.util.Objects;

/**
 * What exec loads: named segments (mapped at {@code base}, zero-filled, with their rights), the
 * entry in Java, the user stack size, and argv.
 */
public record Program(String name, List<Segment> segments, ProcessBody entry, long stackSize, List<String> argv) {

    /** One loadable segment. */
    public record Segment(String name, long base, long size, Rights rights) {
    }

    public Program {
        Objects.requireNonNull(entry, "entry");
        segments = List.copyOf(segments);
        argv = List.copyOf(argv);
    }

    /** A one-segment program: {@code .text} at 0x10000, 64 KiB of stack. */
    public static Program of(String name, ProcessBody entry, String... argv) {
        return new Program(name, List.of(new Segment(".text", 0x1_0000, 0x4000, Rights.RX),
                new Segment(".data", 0x2_0000, 0x2000, Rights.RW)), entry, 64L << 10, argv.length == 0 ? List.of(name) : List.of(argv));
    }
}
