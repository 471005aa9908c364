package dev.deed.archtests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import org.junit.jupiter.api.Test;

/**
 * Only the frame module touches frame internals: its non-public classes (the buddy table, the
 * magazines), and raw physical memory only from the modules it is exported to. javac/JPMS already
 * refuse both; this rule states them at the architecture level, so a change that widened an export
 * or a visibility would still be caught here.
 */
class FrameInternalsTest {
    /** The modules {@code dev.deed.frame.mem} may be exported to (DESIGN.md: page tables, heap, stacks, arch, kernel). */
    static final String[] RAW_MEMORY_USERS = {"dev.deed.frame..", "dev.deed.heap..", "dev.deed.paging..",
            "dev.deed.task..", "dev.deed.arch..", "dev.deed.kernel.."};

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
                .should().onlyBeAccessed().byAnyPackage(RAW_MEMORY_USERS)
                .check(Reactor.mainClasses());
    }
}
