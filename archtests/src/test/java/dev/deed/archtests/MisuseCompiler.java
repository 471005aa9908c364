package dev.deed.archtests;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a snippet as a real named module ({@code module misuse}) against Deed's compiled modules,
 * the way a user's code would meet them: on the module path, with at most one Checker Framework
 * checker (several in one run can silence each other). Returns the errors so a test can require
 * that misuse fails with the expected key and that the correct use compiles.
 */
final class MisuseCompiler {
    static final String RESOURCE_LEAK = "org.checkerframework.checker.resourceleak.ResourceLeakChecker";
    static final String NULLNESS = "org.checkerframework.checker.nullness.NullnessChecker";

    /** One error: javac's code (e.g. {@code compiler.err.report.access}) and its message (checker keys in brackets). */
    record Error(String code, String message) {
        boolean matches(String key) {
            return code.equals(key) || message.contains("[" + key + "]") || message.contains("(" + key + ")");
        }
    }

    record Result(List<Error> errors) {
        boolean compiled() {
            return errors.isEmpty();
        }

        boolean hasError(String key) {
            return errors.stream().anyMatch(e -> e.matches(key));
        }

        @Override
        public String toString() {
            return errors.isEmpty() ? "compiled" : errors.stream().map(e -> e.code + ": " + e.message)
                    .collect(Collectors.joining("\n"));
        }
    }

    private MisuseCompiler() {
    }

    /**
     * Compiles {@code source} (one class in package {@code misuse}) in a module that requires
     * {@code requires}; {@code checker} is a processor class name or null for plain javac; {@code lint}
     * adds {@code -Xlint:all -Werror} as Deed's own build does.
     */
    static Result compile(String source, List<String> requires, String checker, boolean lint) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("misuse");
            Path src = dir.resolve("src");
            Files.createDirectories(src.resolve("misuse"));
            String moduleInfo = "module misuse {\n" + requires.stream().map(r -> "    requires " + r + ";\n")
                    .collect(Collectors.joining()) + "    requires static org.checkerframework.checker.qual;\n}\n";
            Files.writeString(src.resolve("module-info.java"), moduleInfo);
            Files.writeString(src.resolve("misuse/Snippet.java"), source);

            List<String> options = new ArrayList<>(List.of("--release", "25", "-d", dir.resolve("out").toString(),
                    "--module-path", modulePath()));
            if (checker == null) {
                options.add("-proc:none");
            } else {
                options.addAll(List.of("-processorpath", processorPath(), "-processor", checker));
            }
            if (lint) {
                options.addAll(List.of("-Xlint:all", "-Xlint:-processing", "-Werror"));
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            List<Error> errors = new ArrayList<>();
            try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
                var units = files.getJavaFileObjects(src.resolve("module-info.java"), src.resolve("misuse/Snippet.java"));
                javac.getTask(new StringWriter(), files, diagnostics, options, null, units).call();
                // Rendering a message may complete symbols and add diagnostics: iterate over a copy.
                for (Diagnostic<? extends JavaFileObject> d : List.copyOf(diagnostics.getDiagnostics())) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) {
                        errors.add(new Error(d.getCode(), d.getMessage(Locale.ROOT)));
                    }
                }
            }
            return new Result(errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(dir);
        }
    }

    /** Deletes a temporary directory and everything in it: the corpus leaves nothing in /tmp. */
    private static void deleteTree(@org.checkerframework.checker.nullness.qual.Nullable Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compiles a copy of reactor module {@code module}'s main sources after {@code edit}, against the
     * other modules, with {@code checker}: what the build would say if the module were written so.
     */
    static Result compileModule(String module, java.util.function.UnaryOperator<String> edit, String fileName, String checker) {
        Path out = null;
        Path copy = null;
        try {
            Path src = Reactor.root().resolve(module).resolve("src/main/java");
            out = Files.createTempDirectory("module-out");
            List<Path> sources;
            try (Stream<Path> walk = Files.walk(src)) {
                sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
            }
            copy = Files.createTempDirectory("module-src");
            List<Path> files = new ArrayList<>();
            for (Path p : sources) {
                Path target = copy.resolve(src.relativize(p).toString());
                Files.createDirectories(target.getParent());
                String text = Files.readString(p);
                Files.writeString(target, p.getFileName().toString().equals(fileName) ? edit.apply(text) : text);
                files.add(target);
            }
            List<String> options = new ArrayList<>(List.of("--release", "25", "-d", out.toString(), "--module-path",
                    modulePath(module), "-processorpath", processorPath(), "-processor", checker));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            List<Error> errors = new ArrayList<>();
            try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
                javac.getTask(new StringWriter(), fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
                for (Diagnostic<? extends JavaFileObject> d : List.copyOf(diagnostics.getDiagnostics())) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) {
                        String where = d.getSource() == null ? "" : Path.of(d.getSource().toUri()).getFileName() + ":" + d.getLineNumber() + ": ";
                        errors.add(new Error(d.getCode(), where + d.getMessage(Locale.ROOT)));
                    }
                }
            }
            return new Result(errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(out);
            deleteTree(copy);
        }
    }

    /** Every Deed module (exploded, from its build's classes) and checker-qual. */
    private static String modulePath() {
        return modulePath("");
    }

    private static String modulePath(String except) {
        Stream<Path> deed = Reactor.modulesWithMainCode().stream().filter(m -> !m.equals(except))
                .map(Reactor::classesOf);
        Stream<Path> qual = Stream.of(jarOf("org.checkerframework.checker.nullness.qual.Nullable"));
        return Stream.concat(deed, qual).map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private static String processorPath() {
        return Stream.of("org.checkerframework.checker.resourceleak.ResourceLeakChecker",
                        "org.checkerframework.checker.nullness.qual.Nullable",
                        "org.checkerframework.checker.nullness.util.NullnessUtil")
                .map(MisuseCompiler::jarOf).distinct().map(Path::toString)
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private static Path jarOf(String className) {
        try {
            Class<?> c = Class.forName(className, false, MisuseCompiler.class.getClassLoader());
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException("cannot locate the jar of " + className, e);
        }
    }
}
