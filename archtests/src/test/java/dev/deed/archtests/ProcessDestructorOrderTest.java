package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * B1 in the real code: the process module's own sources, with Process.destroy() reordered to free the
 * struct before its debug command-line buffer (Tilck's old free_process_int), fail the Resource Leak
 * Checker; as written, they compile.
 */
class ProcessDestructorOrderTest {
    private static final String RIGHT = """
                    releaseSpace(tlbs);
                    debugCmdline.close();
                    struct.freeAfter(debugCmdline);
            """;
    private static final String WRONG = """
                    releaseSpace(tlbs);
                    struct.freeAfter(debugCmdline);
                    debugCmdline.close();
            """;

    @Test
    void theProcessModuleCompilesAsWritten() {
        var r = MisuseCompiler.compileModule("process", text -> {
            assertTrue(text.contains(RIGHT.stripTrailing()), "Process.destroy() is written children first");
            return text;
        }, "Process.java", MisuseCompiler.RESOURCE_LEAK);
        assertTrue(r.compiled(), r.toString());
    }

    @Test
    void theReorderedDestructorDoesNotCompile() {
        var r = MisuseCompiler.compileModule("process", text -> text.replace(RIGHT.stripTrailing(), WRONG.stripTrailing()),
                "Process.java", MisuseCompiler.RESOURCE_LEAK);
        assertEquals(1, r.errors().size(), r.toString());
        assertTrue(r.hasError("argument") && r.toString().contains("Process.java"), r.toString());
    }
}
