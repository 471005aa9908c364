package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deed.frame.AllocatorStats;
import dev.deed.task.Census;
import dev.deed.task.RunResult;
import dev.deed.task.TaskHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * B4 (asterinas#1491), the task half: every task leaked through references kept on the park path and
 * across the last switch. Here 10 000 tasks park, get unparked, yield and exit; afterwards tasks,
 * stacks, stack frames and the idle task's references are exactly at the baseline.
 */
class B4TaskRegressionTest {
    static List<String> arches() {
        return TaskWorld.arches();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void tenThousandTasksComeAndGoWithoutATrace(String arch) {
        TaskWorld w = TaskWorld.boot(arch, 512L << 20, dev.deed.task.SchedulerConfig.defaults());
        Census baseline = w.scheduler().census();
        AllocatorStats frames = w.frames().stats();
        long switches = 0;
        for (int round = 0; round < 10; round++) {
            List<TaskHandle> owned = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                owned.add(w.scheduler().spawn("owned" + i, ctx -> {
                    ctx.park();
                    ctx.yieldNow();
                }));
                w.scheduler().spawnDetached("detached" + i, ctx -> {
                    ctx.yieldNow();
                    ctx.call(256, inner -> inner.yieldNow());
                });
            }
            switches += w.scheduler().run().switches();
            w.scheduler().spawnDetached("waker", ctx -> owned.forEach(ctx::unpark));
            RunResult r = w.scheduler().run();
            switches += r.switches();
            assertEquals(List.of(), r.failures());
            owned.forEach(TaskHandle::release);
            assertEquals(baseline, w.scheduler().census(), "round " + round);
        }
        assertEquals(1, w.scheduler().census().idleReferences(), "the idle task's references do not grow with " + switches + " switches");
        w.frames().drainCpuCaches();
        AllocatorStats after = w.frames().stats();
        assertEquals(frames.used(dev.deed.frame.Usage.KERNEL_STACK), after.used(dev.deed.frame.Usage.KERNEL_STACK));
        assertEquals(0, after.used(dev.deed.frame.Usage.KERNEL_STACK));
    }
}
