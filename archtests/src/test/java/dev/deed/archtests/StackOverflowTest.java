package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.task.Census;
import dev.deed.task.KernelStackOverflowException;
import dev.deed.task.RunResult;
import dev.deed.task.TaskBody;
import dev.deed.task.TaskHandle;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A write below a kernel stack hits the guard page and is reported as that task's stack overflow. */
class StackOverflowTest {
    static List<String> arches() {
        return TaskWorld.arches();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void runawayRecursionHitsTheGuardPageAndNamesTheTask(String arch) {
        TaskWorld w = TaskWorld.boot(arch);
        TaskHandle deep = w.scheduler().spawn("deep", recurse(0));
        w.scheduler().spawnDetached("bystander", ctx -> ctx.call(1024, inner -> { }));
        RunResult r = w.scheduler().run();
        assertEquals(1, r.failures().size(), r.failures().toString());
        KernelStackOverflowException e = (KernelStackOverflowException) deep.failure().orElseThrow();
        assertTrue(e.getMessage().startsWith("kernel stack overflow in task 'deep' (tid 1): a write at 0x"), e.getMessage());
        assertTrue(e.getMessage().contains("hits the guard page below its kernel stack [0x"), e.getMessage());
        deep.release();
        assertEquals(new Census(0, 0, 0, 0, 1), w.scheduler().census(), "the bystander ran; everything is back");
    }

    private static TaskBody recurse(int depth) {
        return ctx -> ctx.call(1000, recurse(depth + 1));
    }
}
