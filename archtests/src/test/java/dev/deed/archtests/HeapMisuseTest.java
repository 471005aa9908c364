package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * B1 at compile time: a kernel object that owns its debug command-line buffer, written the way
 * Deed asks (owning fields, a destructor that promises to close them, {@code freeAfter} for the
 * container). The wrong free order, a destructor that forgets the child, and a leaked block are
 * rejected by the Resource Leak Checker; the right order compiles.
 */
class HeapMisuseTest {
    private static final List<String> HEAP = List.of("dev.deed.heap");

    /** The kernel object around a destructor body; {@code %s} is the body. */
    private static String process(String destructorBody) {
        return """
                package misuse;
                import dev.deed.heap.*;
                import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
                import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
                import org.checkerframework.checker.mustcall.qual.Owning;

                @InheritableMustCall("destroy")
                final class Snippet {
                    private final @Owning Block struct;
                    private final @Owning Block debugCmdline;

                    Snippet(KernelHeap heap, StructLayout layout) {
                        struct = heap.kzalloc(layout.size());
                        debugCmdline = heap.kmalloc(64);
                        struct.own(debugCmdline);
                        struct.write(layout.field("debug_cmdline"), debugCmdline.address());
                    }

                    @EnsuresCalledMethods(value = {"this.struct", "this.debugCmdline"}, methods = "close")
                    void destroy() {
                %s
                    }
                }
                """.formatted(destructorBody);
    }

    @Test
    void freeingTheContainerBeforeItsChildDoesNotCompile() {
        var r = MisuseCompiler.compile(process("""
                        struct.freeAfter(debugCmdline);
                        debugCmdline.close();
                """), HEAP, MisuseCompiler.RESOURCE_LEAK, false);
        assertTrue(r.hasError("argument") && r.errors().size() == 1, r.toString());
    }

    @Test
    void aDestructorThatForgetsTheChildDoesNotCompile() {
        var r = MisuseCompiler.compile(process("""
                        struct.close();
                """), HEAP, MisuseCompiler.RESOURCE_LEAK, false);
        assertTrue(r.hasError("contracts.postcondition") && r.errors().size() == 1, r.toString());
    }

    @Test
    void aLeakedBlockDoesNotCompile() {
        var r = MisuseCompiler.compile("""
                package misuse;
                import dev.deed.heap.*;
                class Snippet {
                    long leak(KernelHeap heap) {
                        Block b = heap.kmalloc(64);
                        return b.address();
                    }
                }
                """, HEAP, MisuseCompiler.RESOURCE_LEAK, false);
        assertTrue(r.hasError("required.method.not.called") && r.errors().size() == 1, r.toString());
    }

    @Test
    void childrenFirstThenTheContainerCompiles() {
        var r = MisuseCompiler.compile(process("""
                        debugCmdline.close();
                        struct.freeAfter(debugCmdline);
                """), HEAP, MisuseCompiler.RESOURCE_LEAK, true);
        assertTrue(r.compiled(), r.toString());
    }
}
