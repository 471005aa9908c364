package dev.deed.archtests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md's layering: dependencies point down only,
 * {@code frame ← heap ← paging ← task ← process ← procfs ← kernel}; arch modules see only
 * frame, paging and task (their SPIs) and are seen only by kernel; the lifecycle engine depends on
 * nothing of Deed and only kernel (for {@code deed soak}) uses it from main code. Layers for modules
 * that do not exist yet are optional, so the rule covers them the day they appear.
 */
class LayeringTest {
    /** Bottom to top. */
    static final List<String> STACK = List.of("frame", "heap", "paging", "task", "process", "procfs", "kernel");

    @Test
    void dependenciesPointDownTheStack() {
        stack("dev.deed").check(Reactor.mainClasses());
    }

    @Test
    void theStackRuleCatchesAnUpwardDependency() {
        String root = "dev.deed.archtests.fixture";
        var upward = new com.tngtech.archunit.core.importer.ClassFileImporter().importClasses(
                dev.deed.archtests.fixture.frame.ReachesUp.class, dev.deed.archtests.fixture.heap.Above.class);
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> stack(root).check(upward));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("ReachesUp"), e.getMessage());
    }

    /** The layering rule for packages under {@code root} (parameterised so a planted violation can test it). */
    static LayeredArchitecture stack(String root) {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("lifecycle").definedBy(root + ".lifecycle..")
                .layer("arch").definedBy(root + ".arch..");
        for (String layer : STACK) {
            layers = layers.layer(layer).definedBy(root + "." + layer + "..");
        }
        for (int i = 0; i < STACK.size() - 1; i++) {
            List<String> above = new ArrayList<>(STACK.subList(i + 1, STACK.size()));
            if (i <= STACK.indexOf("task")) {
                above.add("arch");
            }
            layers = layers.whereLayer(STACK.get(i)).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
        }
        return layers.whereLayer("kernel").mayNotBeAccessedByAnyLayer()
                .whereLayer("arch").mayOnlyBeAccessedByLayers("kernel")
                .whereLayer("lifecycle").mayOnlyBeAccessedByLayers("kernel");
    }

    @Test
    void theLifecycleEngineDependsOnNothingOfDeed() {
        noClasses().that().resideInAPackage("dev.deed.lifecycle..")
                .should().dependOnClassesThat().resideInAnyPackage(deedPackagesExcept("lifecycle"))
                .allowEmptyShould(true)
                .check(Reactor.mainClasses());
    }

    @Test
    void everyClassBelongsToAKnownLayer() {
        List<String> known = new ArrayList<>();
        known.add("dev.deed.lifecycle..");
        known.add("dev.deed.arch..");
        STACK.forEach(layer -> known.add("dev.deed." + layer + ".."));
        classes().should().resideInAnyPackage(known.toArray(String[]::new))
                .because("a new module must be placed in ARCHITECTURE.md's layering (LayeringTest.STACK)")
                .check(Reactor.mainClasses());
    }

    private static String[] deedPackagesExcept(String self) {
        List<String> packages = new ArrayList<>();
        packages.add("dev.deed.arch..");
        STACK.stream().filter(l -> !l.equals(self)).forEach(l -> packages.add("dev.deed." + l + ".."));
        return packages.toArray(String[]::new);
    }
}
