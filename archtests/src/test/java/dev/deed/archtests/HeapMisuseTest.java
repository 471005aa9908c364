package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.kernel.misuse.ContainerMisuse;
import dev.deed.kernel.misuse.Snippet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * B1 at compile time, every form: freeing a process struct before the buffer it owns — directly,
 * through an alias, in a helper, in a destructor, as a try-with-resources resource — does not compile
 * (there is no call that could do it); leaking the struct, on the normal path or when the child's
 * allocation fails, is rejected by the Resource Leak Checker; the correct twins compile under the
 * checker with Deed's own lint settings. The catalogue is the one {@code deed bugs} compiles live.
 */
class HeapMisuseTest {

    static Stream<Snippet> forms() {
        return ContainerMisuse.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void eachFormIsJudgedAsTheCatalogueSays(Snippet s) {
        var r = MisuseCompiler.compile(s.source(), List.of(s.requires()), s.checker() ? MisuseCompiler.RESOURCE_LEAK : null,
                s.mustCompile());
        if (s.mustCompile()) {
            assertTrue(r.compiled(), s.form() + ":\n" + r);
        } else {
            assertTrue(r.hasError(String.valueOf(s.expected())) && r.errors().size() <= 2, s.form() + ": expected "
                    + s.expected() + ", got:\n" + r);
        }
    }

    @Test
    void everyWrongFormHasACorrectTwinAndBothKindsAreCovered() {
        long wrong = ContainerMisuse.all().stream().filter(s -> !s.mustCompile()).count();
        long right = ContainerMisuse.all().stream().filter(Snippet::mustCompile).count();
        assertTrue(wrong >= 6 && right >= 4, wrong + " wrong forms, " + right + " correct twins");
    }
}
