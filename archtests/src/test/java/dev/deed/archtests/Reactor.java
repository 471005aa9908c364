package dev.deed.archtests;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reactor as the tests see it: every module listed in the parent pom, and the compiled main
 * classes of all of them. Rules import classes from here, so a module added to the parent pom is
 * covered without touching any rule.
 */
final class Reactor {
    /** Modules that hold no main code to check. */
    static final List<String> WITHOUT_MAIN_CODE = List.of("archtests", "bench", "conformance");

    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>\\s*([^<\\s]+)\\s*</artifactId>");

    private static JavaClasses classes;

    private Reactor() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("archtests"))) {
                return p;
            }
        }
        throw new IllegalStateException("no Deed reactor root above " + dir);
    }

    /** Directory names of the modules in the parent pom, in order. */
    static List<String> modules() {
        List<String> names = new ArrayList<>();
        Matcher m = MODULE.matcher(read(root().resolve("pom.xml")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Modules whose main classes the rules check. */
    static List<String> modulesWithMainCode() {
        return modules().stream().filter(m -> !WITHOUT_MAIN_CODE.contains(m)).toList();
    }

    /** The artifactId a module's pom declares for itself (the first one after its parent's). */
    static String artifactId(String module) {
        String pom = read(root().resolve(module).resolve("pom.xml"));
        int parentEnd = pom.indexOf("</parent>");
        Matcher m = ARTIFACT.matcher(pom);
        if (!m.find(Math.max(parentEnd, 0))) {
            throw new IllegalStateException(module + "/pom.xml declares no artifactId");
        }
        return m.group(1);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A module's compiled main classes, in the build directory this test run was built into
     * ({@code target/} for the checked build, {@code target/fast/} for the quick one).
     */
    static Path classesOf(String module) {
        return root().resolve(module).resolve(buildDirectory()).resolve("classes");
    }

    /** This run's build directory relative to a module: where these tests' own classes sit, less the last step. */
    private static Path buildDirectory() {
        try {
            Path testClasses = Path.of(Reactor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return root().resolve("archtests").relativize(testClasses.getParent());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot locate the test classes", e);
        }
    }

    /** Main classes of every module with main code. */
    static synchronized JavaClasses mainClasses() {
        if (classes == null) {
            List<Path> dirs = modulesWithMainCode().stream()
                    .map(Reactor::classesOf)
                    .toList();
            classes = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPaths(dirs);
        }
        return classes;
    }
}
