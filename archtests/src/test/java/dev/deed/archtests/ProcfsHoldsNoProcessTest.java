package dev.deed.archtests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaParameterizedType;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * B4's third cause: procfs cached strong references to processes (and through them their tasks).
 * Deed's procfs may hold the kernel's tables, never a process or task: no field of such a type,
 * not even as a type argument (a {@code List<TaskHandle>} cache is what Asterinas had).
 */
class ProcfsHoldsNoProcessTest {
    static final Set<String> FORBIDDEN = Set.of("dev.deed.process.Process", "dev.deed.process.Sys",
            "dev.deed.task.TaskHandle", "dev.deed.task.TaskContext", "dev.deed.task.Task");

    static ArchRule rule(String procfsPackage) {
        DescribedPredicate<JavaField> holdsProcessOrTask = DescribedPredicate.describe(
                "a process or task type (also as a type argument)", f -> mentions(f.getType()));
        return noFields().that().areDeclaredInClassesThat().resideInAPackage(procfsPackage + "..")
                .should(com.tngtech.archunit.lang.conditions.ArchConditions.be(holdsProcessOrTask))
                .because("procfs and the pid table hold pids and weak references only (B4)");
    }

    private static boolean mentions(JavaType type) {
        if (FORBIDDEN.contains(type.toErasure().getName())) {
            return true;
        }
        return type instanceof JavaParameterizedType p && p.getActualTypeArguments().stream().anyMatch(ProcfsHoldsNoProcessTest::mentions);
    }

    @Test
    void procfsHoldsNoProcessOrTask() {
        rule("dev.deed.procfs").check(Reactor.mainClasses());
    }

    @Test
    void theRuleCatchesAProcfsThatCachesTasks() {
        var planted = new ClassFileImporter().importClasses(dev.deed.archtests.fixture.procfs.CachingProcfs.class);
        AssertionError e = assertThrows(AssertionError.class, () -> rule("dev.deed.archtests.fixture.procfs").check(planted));
        assertTrue(e.getMessage().contains("cachedInodes"), e.getMessage());
    }
}
