package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * B1 in the real code: the process module's own sources, with Process.destroy() rewritten to free the
 * struct before its debug command-line buffer (Tilck's old free_process_int), do not compile — the
 * struct has no close() to call first and the buffer no close() at all; as written, they compile
 * under the Resource Leak Checker.
 */
class ProcessDestructorOrderTest {
    /** The destructor's last statement (the line after a newline, at the method body's indentation). */
    private static final String RIGHT = "\n        struct.free();\n";
    private static final String STRUCT_FIRST = "\n        struct.close();\n        struct.free();\n";
    private static final String BUFFER_BY_HAND = "\n        debugCmdline.close();\n        struct.free();\n";

    @Test
    void theProcessModuleCompilesAsWritten() {
        var r = MisuseCompiler.compileModule("process", text -> {
            assertTrue(text.contains(RIGHT), "Process.destroy() frees the struct through its destructor");
            return text;
        }, "Process.java", MisuseCompiler.RESOURCE_LEAK);
        assertTrue(r.compiled(), r.toString());
    }

    @Test
    void freeingTheStructFirstDoesNotCompile() {
        var r = MisuseCompiler.compileModule("process", text -> text.replace(RIGHT, STRUCT_FIRST),
                "Process.java", MisuseCompiler.RESOURCE_LEAK);
        assertTrue(r.hasError("compiler.err.cant.resolve.location.args") && r.toString().contains("Process.java"), r.toString());
    }

    @Test
    void freeingTheBufferByHandDoesNotCompile() {
        var r = MisuseCompiler.compileModule("process", text -> text.replace(RIGHT, BUFFER_BY_HAND),
                "Process.java", MisuseCompiler.RESOURCE_LEAK);
        assertTrue(r.hasError("compiler.err.cant.resolve.location.args") && r.toString().contains("Process.java"), r.toString());
    }
}
