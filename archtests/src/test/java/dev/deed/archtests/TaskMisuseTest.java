package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tasks and stacks at compile time: an owned task or a kernel stack cannot be dropped unreleased. */
class TaskMisuseTest {
    private static final List<String> TASK = List.of("dev.deed.task");
    private static final String IMPORTS = "package misuse;\nimport dev.deed.task.*;\n";

    @Test
    void aTaskHandleDroppedWithoutReleaseDoesNotCompile() {
        var r = MisuseCompiler.compile(IMPORTS + """
                class Snippet {
                    void start(Scheduler s) {
                        TaskHandle worker = s.spawn("worker", ctx -> ctx.yieldNow());
                        s.run();
                    }
                }
                """, TASK, MisuseCompiler.RESOURCE_LEAK, false);
        assertTrue(r.hasError("required.method.not.called") && r.errors().size() == 1, r.toString());
    }

    @Test
    void aLeakedKernelStackDoesNotCompile() {
        var r = MisuseCompiler.compile(IMPORTS + """
                class Snippet {
                    long top(KernelStacks stacks) {
                        KernelStack stack = stacks.allocate();
                        return stack.top();
                    }
                }
                """, TASK, MisuseCompiler.RESOURCE_LEAK, false);
        assertTrue(r.hasError("required.method.not.called") && r.errors().size() == 1, r.toString());
    }

    @Test
    void releasingWhatYouOwnCompiles() {
        var r = MisuseCompiler.compile(IMPORTS + """
                class Snippet {
                    void start(Scheduler s, KernelStacks stacks) {
                        TaskHandle worker = s.spawn("worker", ctx -> ctx.yieldNow());
                        s.run();
                        worker.release();
                        try (KernelStack spare = stacks.allocate()) {
                            System.out.println(spare.top());
                        }
                    }
                }
                """, TASK, MisuseCompiler.RESOURCE_LEAK, true);
        assertTrue(r.compiled(), r.toString());
    }
}
