package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Guards the guard: the rules see every module of the reactor. */
class ModuleCoverageTest {

    @Test
    void everyModuleWithMainCodeIsADependencyOfArchtestsSoItIsBuiltFirst() {
        String archtestsPom = Reactor.read(Reactor.root().resolve("archtests/pom.xml"));
        List<String> missing = Reactor.modulesWithMainCode().stream()
                .filter(m -> !archtestsPom.contains("<artifactId>" + Reactor.artifactId(m) + "</artifactId>"))
                .toList();
        assertEquals(List.of(), missing, "add these modules as dependencies of archtests/pom.xml");
    }

    @Test
    void everyModuleWithMainCodeIsImportedByTheRules() {
        for (String module : Reactor.modulesWithMainCode()) {
            assertTrue(Files.isRegularFile(Reactor.classesOf(module).resolve("module-info.class")),
                    module + " must be a compiled JPMS module");
            String pkg = module.startsWith("arch-") ? "dev.deed.arch." + module.substring(5) : "dev.deed." + module;
            assertFalse(Reactor.mainClasses().stream().noneMatch(c -> c.getPackageName().startsWith(pkg)),
                    "no classes of " + module + " (package " + pkg + ") were imported");
        }
    }
}
