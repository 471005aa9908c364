package dev.deed.archtests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import org.junit.jupiter.api.Test;
import java.util.List;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Only the frame module touches frame internals: its non-public classes (the buddy table, the
 * magazines), and raw physical memory only from the modules it is exported to. javac/JPMS already
 * refuse both; this rule states them at the architecture level, so a change that widened an export
 * or a visibility would still be caught here.
 */
class FrameInternalsTest {
    /**
     * The packages allowed to touch raw memory: the frame module itself and the modules
     * {@code dev.deed.frame.mem} is exported to (page tables, heap, stacks, user memory, the kernel's image writer).
     */
    static final List<String> RAW_MEMORY_USERS = List.of("dev.deed.frame..", "dev.deed.heap..", "dev.deed.paging..",
            "dev.deed.task..", "dev.deed.process..", "dev.deed.kernel..");

    @Test
    void nonPublicFrameClassesAreUsedOnlyInsideTheFramePackage() {
        DescribedPredicate<JavaClass> frameInternals = DescribedPredicate.describe("non-public classes of dev.deed.frame",
                c -> c.getPackageName().equals("dev.deed.frame") && !c.getModifiers().contains(JavaModifier.PUBLIC));
        noClasses().that().resideOutsideOfPackage("dev.deed.frame")
                .should().dependOnClassesThat(frameInternals)
                .check(Reactor.mainClasses());
    }

    @Test
    void rawPhysicalMemoryIsUsedOnlyByPrivilegedModules() {
        classes().that().resideInAPackage("dev.deed.frame.mem")
                .should().onlyBeAccessed().byAnyPackage(RAW_MEMORY_USERS.toArray(String[]::new))
                .check(Reactor.mainClasses());
    }

    @Test
    void theRuleAndTheQualifiedExportNameTheSameModules() {
        var exported = ModuleLayer.boot().findModule("dev.deed.frame").orElseThrow().getDescriptor().exports().stream()
                .filter(e -> e.source().equals("dev.deed.frame.mem")).findFirst().orElseThrow().targets();
        java.util.Set<String> fromRule = new java.util.TreeSet<>();
        RAW_MEMORY_USERS.stream().filter(p -> !p.equals("dev.deed.frame..")).forEach(p -> fromRule.add(p.replace("..", "")));
        java.util.Set<String> fromModule = new java.util.TreeSet<>(exported);
        fromModule.remove("dev.deed.archtests"); // test modules: the architecture tests and the conformance kit
        fromModule.remove("dev.deed.conformance");
        assertEquals(fromRule, fromModule, "update RAW_MEMORY_USERS and frame's module-info together");
    }
}
