package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.TryCatchBlock;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.deed.archtests.fixture.oom.Allocating;
import dev.deed.frame.OutOfFramesException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Out of memory is checked like an exception path, everywhere. The Resource Leak Checker checks what
 * a caller holds on the exceptions a callee <em>declares</em>; it ignores undeclared unchecked ones.
 * So every method or constructor that calls (or constructs through) one declaring {@link OutOfFramesException} must either
 * declare it too or make the call inside a {@code try} that catches it — and the declaration climbs
 * to every public entry point, where the checker then sees each caller's exception path. (Leaking
 * on every {@code RuntimeException} path, with {@code -AresourceLeakIgnoredExceptions}, would flag
 * any field read; the declared path is the one an allocation failure takes.) Calls inside lambda
 * bodies are exempt: a lambda cannot declare what it throws.
 */
class AllocationFailureDeclaredTest {

    @Test
    void everyCallerOfAnAllocatorDeclaresOrCatchesOutOfMemory() {
        List<String> violations = violations(Reactor.mainClasses());
        assertTrue(violations.isEmpty(), violations.size() + " calls can fail for lack of memory on a path the checker cannot see:\n"
                + String.join("\n", violations));
    }

    @Test
    void theRuleCatchesACallerThatHidesTheFailure() {
        List<String> violations = violations(new ClassFileImporter().importClasses(Allocating.class));
        assertEquals(1, violations.size(), String.join("\n", violations));
        assertTrue(violations.get(0).contains("Allocating.hides"), violations.get(0));
    }

    static List<String> violations(JavaClasses classes) {
        List<String> out = new ArrayList<>();
        for (JavaClass c : classes) {
            for (JavaCodeUnit unit : c.getCodeUnits()) {
                if (declares(unit)) {
                    continue;
                }
                for (JavaCall<?> call : unit.getCallsFromSelf()) {
                    boolean mayFail = call.getTarget().resolveMember()
                            .map(m -> m.getThrowsClause().containsType(OutOfFramesException.class)).orElse(false);
                    if (mayFail && !call.isDeclaredInLambda() && !caught(call)) {
                        out.add(unit.getFullName() + " calls " + call.getTarget().getFullName() + " (" + call.getSourceCodeLocation()
                                + ") without declaring or catching OutOfFramesException");
                    }
                }
            }
        }
        return out;
    }

    private static boolean declares(JavaCodeUnit unit) {
        return unit.getThrowsClause().getTypes().stream().anyMatch(t -> t.isAssignableFrom(OutOfFramesException.class));
    }

    private static boolean caught(JavaCall<?> call) {
        for (TryCatchBlock block : call.getContainingTryBlocks()) {
            if (block.getCaughtThrowables().stream().anyMatch(t -> t.isAssignableFrom(OutOfFramesException.class))) {
                return true;
            }
        }
        return false;
    }
}
