package dev.deed.kernel.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a misuse snippet as a user's module would meet Deed (on this CLI's own module path),
 * optionally through the Resource Leak Checker, and reports the first error's key.
 */
final class SnippetCompiler {
    private SnippetCompiler() {
    }

    /** The first error ("code" for javac, "[key]" for the checker), or empty if it compiled. */
    static Optional<String> firstError(String source, String requires, boolean resourceLeakChecker) {
        try (ScratchDirectory scratch = new ScratchDirectory("deed-bugs")) {
            Path dir = scratch.path();
            Files.createDirectories(dir.resolve("misuse"));
            Files.writeString(dir.resolve("module-info.java"), "module misuse { requires " + requires
                    + "; requires static org.checkerframework.checker.qual; }\n");
            Files.writeString(dir.resolve("misuse/Snippet.java"), source);
            List<String> options = new ArrayList<>(List.of("--release", "25", "-d", dir.resolve("out").toString(),
                    "--module-path", System.getProperty("jdk.module.path", "")));
            if (resourceLeakChecker) {
                options.addAll(List.of("-processorpath", checkerPath().orElseThrow(), "-processor",
                        "org.checkerframework.checker.resourceleak.ResourceLeakChecker"));
            } else {
                options.add("-proc:none");
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
                javac.getTask(new StringWriter(), files, diagnostics, options, null,
                        files.getJavaFileObjects(dir.resolve("module-info.java"), dir.resolve("misuse/Snippet.java"))).call();
                for (Diagnostic<? extends JavaFileObject> d : List.copyOf(diagnostics.getDiagnostics())) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) {
                        String message = d.getMessage(Locale.ROOT);
                        return Optional.of(message.startsWith("[") ? message.substring(0, message.indexOf(']') + 1) : d.getCode());
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Checker Framework jars next to the kernel jar (target/checker), if the build put them there. */
    static Optional<String> checkerPath() {
        try {
            var source = SnippetCompiler.class.getProtectionDomain().getCodeSource();
            Path parent = source == null ? null : Path.of(source.getLocation().toURI()).getParent();
            if (parent == null) {
                return Optional.empty();
            }
            Path dir = parent.resolve("checker");
            if (!Files.isDirectory(dir)) {
                return Optional.empty();
            }
            List<String> jars = new ArrayList<>();
            try (Stream<Path> list = Files.list(dir)) {
                list.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> jars.add(p.toString()));
            }
            for (String entry : System.getProperty("jdk.module.path", "").split(java.io.File.pathSeparator)) {
                Path p = Path.of(entry);
                if (Files.isDirectory(p)) {
                    try (Stream<Path> inside = Files.list(p)) {
                        inside.filter(j -> String.valueOf(j.getFileName()).startsWith("checker-qual")).forEach(j -> jars.add(j.toString()));
                    }
                } else if (p.getFileName() != null && p.getFileName().toString().startsWith("checker-qual")) {
                    jars.add(entry);
                }
            }
            return jars.size() >= 2 ? Optional.of(String.join(java.io.File.pathSeparator, jars)) : Optional.empty();
        } catch (URISyntaxException | IOException e) {
            return Optional.empty();
        }
    }
}
