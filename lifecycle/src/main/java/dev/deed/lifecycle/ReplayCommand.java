package dev.deed.lifecycle;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.CodeSource;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How a failure is replayed, and the record of replays: a failing property prints the exact command
 * that re-runs its case ({@code ./deed test MODULE TestClass --replay TOKEN}, worked out from the
 * test class that checked it), and each replay is logged where {@code deed.replayLog} says, so the
 * launcher can tell whether the token's case failed again, passes now, or never ran.
 */
final class ReplayCommand {
    static final String TOKEN = "{token}";

    private ReplayCommand() {
    }

    /** The replay command for a property checked by the first caller outside the engine. */
    static String fromCaller() {
        Optional<Class<?>> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.<Class<?>>map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(c -> c != ReplayCommand.class && c != LifecycleProperty.class)
                        .findFirst());
        return caller.map(ReplayCommand::forTest).orElse("-Ddeed.replay=" + TOKEN);
    }

    /** {@code ./deed test MODULE TestClass --replay {token}} if {@code test} lies in a reactor module, else the -D form. */
    static String forTest(Class<?> test) {
        Class<?> top = test;
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        String module = moduleDirectory(top);
        return module == null ? "-Ddeed.replay=" + TOKEN : "./deed test " + module + " " + top.getSimpleName() + " --replay " + TOKEN;
    }

    /** The reactor module directory the class was compiled in (the nearest directory above it with a pom.xml). */
    private static @Nullable String moduleDirectory(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        if (source == null) {
            return null;
        }
        try {
            for (Path p = Path.of(source.getLocation().toURI()); p != null; p = p.getParent()) {
                Path parent = p.getParent();
                if (Files.isRegularFile(p.resolve("pom.xml")) && parent != null && Files.isRegularFile(parent.resolve("pom.xml"))) {
                    Path name = p.getFileName();
                    return name == null ? null : name.toString();
                }
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** Records a replay in the file {@code deed.replayLog} names, if any: "PROPERTY fails again at step K" or "PROPERTY passes now". */
    static void log(String property, TrialResult result) {
        String file = System.getProperty("deed.replayLog");
        if (file == null || file.isBlank()) {
            return;
        }
        Failure failure = result.failure();
        String line = property + (failure == null ? " passes now (replayed " + result.steps().size() + " steps)"
                : " fails again at step " + failure.step() + " of " + result.steps().size() + ": " + failure.message()) + "\n";
        try {
            Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("deed: cannot write the replay log " + file + ": " + e.getMessage());
        }
    }
}
