package dev.deed.procfs;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One entry of the /proc tree, made when a path is resolved: a directory, a file or a link. */
sealed interface Node {

    /** A directory: its entries in order, and the child named so (null if there is none). */
    record Dir(Supplier<List<String>> entries, Function<String, @Nullable Node> child) implements Node {
    }

    /** A file, rendered when read. */
    record File(Supplier<String> content) implements Node {
    }

    /** A symbolic link; its target is relative to /proc ({@code self} → {@code 7}) or absolute. */
    record Link(String target) implements Node {
    }
}
