package dev.deed.archtests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nothing outside the arch modules names an architecture: no class reaches an arch module's classes
 * (they are found through the service interfaces only), and no main source outside them spells an
 * architecture's or a paging format's name in a string — those come from the arch modules
 * ({@code MemoryLayout}, {@code PagingFormat}, {@code ContextLayout}). So a new arch module plugs in
 * with no edit elsewhere.
 */
class ArchNeutralityTest {
    /** The names the arch modules present give themselves, and their formats' names. */
    private static final List<String> NAMES = List.of("riscv64", "i386", "sv39", "sv48", "x86_64");

    /** Where a name may stand, and why. */
    private static final Map<String, String> ALLOWED = Map.of(
            "kernel/src/main/java/dev/deed/kernel/boot/KernelConfig.java", "DEFAULT_ARCH: the product's default architecture",
            "kernel/src/main/java/dev/deed/kernel/image/Qemu.java", "QEMU interop: which emulator and gdb architecture run a format",
            "kernel/src/main/java/dev/deed/kernel/image/QemuListing.java", "QEMU interop: how each emulator prints its page tables");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");

    @Test
    void noClassOutsideTheArchModulesReachesOne() {
        rule("dev.deed").check(Reactor.mainClasses());
    }

    @Test
    void theRuleCatchesKernelCodeReachingAnArchClass() {
        var planted = new ClassFileImporter().importClasses(dev.deed.archtests.fixture.kernel.PicksAnArch.class,
                dev.deed.archtests.fixture.arch.AnArchClass.class);
        AssertionError e = assertThrows(AssertionError.class, () -> rule("dev.deed.archtests.fixture").check(planted));
        assertTrue(e.getMessage().contains("PicksAnArch"), e.getMessage());
    }

    @Test
    void noMainSourceOutsideTheArchModulesNamesAnArch() {
        List<String> found = new ArrayList<>();
        for (String module : Reactor.modulesWithMainCode()) {
            if (module.startsWith("arch-")) {
                continue;
            }
            Path root = Reactor.root().resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    String relative = Reactor.root().relativize(f).toString().replace('\\', '/');
                    if (!ALLOWED.containsKey(relative)) {
                        namesIn(Reactor.read(f)).forEach(n -> found.add(relative + ": " + n));
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertEquals(List.of(), found, "take these from the arch module's MemoryLayout, PagingFormat or ContextLayout");
    }

    @Test
    void theScanFindsANameInAStringButNotInAComment() {
        assertEquals(List.of("\"riscv64\""), namesIn("class A {\n  // on riscv64 this is fine\n  String a = \"riscv64\";\n}\n"));
        assertEquals(List.of("\"sv48 tables\""), namesIn("/* i386 */ class B { String b = \"sv48 tables\"; }"));
        assertEquals(List.of(), namesIn("class C { String c = \"sv480\"; String d = \"ok\"; }"));
    }

    private static ArchRule rule(String root) {
        return noClasses().that().resideOutsideOfPackage(root + ".arch..")
                .should().dependOnClassesThat().resideInAPackage(root + ".arch..")
                .because("arch modules are reached through their service interfaces only");
    }

    /** The string literals in {@code source} (comments removed) that contain an arch or format name as a word. */
    static List<String> namesIn(String source) {
        String code = source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
        List<String> out = new ArrayList<>();
        Matcher m = STRING.matcher(code);
        while (m.find()) {
            String literal = m.group();
            for (String name : NAMES) {
                if (Pattern.compile("\\b" + name + "\\b").matcher(literal).find()) {
                    out.add(literal);
                    break;
                }
            }
        }
        return out;
    }
}
