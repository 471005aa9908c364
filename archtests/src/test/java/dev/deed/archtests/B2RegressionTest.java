package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.PhysAddr;
import dev.deed.paging.Mapping;
import dev.deed.paging.VirtAddr;
import dev.deed.task.Census;
import dev.deed.task.ContextCorruptedException;
import dev.deed.task.KernelStacks;
import dev.deed.task.RunResult;
import dev.deed.task.StackInUseException;
import dev.deed.task.TaskHandle;
import dev.deed.task.TaskState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * B2 (rCore-Tutorial-v3 #144): the main thread's exit path dropped its own control block and kernel
 * stack (tasks.clear()) while still running on that stack. Here the exiting task holds no handle that
 * frees its stack, a request to free the current stack is refused naming task, range and CPU, and the
 * stack is freed only after the switch — by the next task, or by the owner that reaps it.
 */
class B2RegressionTest {
    static List<String> arches() {
        return TaskWorld.arches();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void aDetachedTaskExitsOnItsStackWhichIsFreedOnlyAfterTheSwitch(String arch) {
        TaskWorld w = TaskWorld.boot(arch);
        List<Integer> stacksSeen = new ArrayList<>();
        w.scheduler().spawnDetached("exiting", ctx -> {
            ctx.call(512, inner -> { });                    // it really runs on its stack
            stacksSeen.add(w.scheduler().census().stacks()); // on its exit path: its stack is still there
        });
        w.scheduler().spawnDetached("next", ctx -> stacksSeen.add(w.scheduler().census().stacks())); // after the switch
        RunResult r = w.scheduler().run();
        assertEquals(List.of(), r.failures());
        assertEquals(List.of(2, 1), stacksSeen, "freed by the next task after the switch, not before");
        assertEquals(new Census(0, 0, 0, 0, 1), w.scheduler().census());
    }

    @ParameterizedTest
    @MethodSource("arches")
    void aRequestToFreeTheStackInUseIsRefusedLoudly(String arch) {
        TaskWorld w = TaskWorld.boot(arch);
        List<TaskHandle> threads = new ArrayList<>(); // like rCore's process.tasks
        List<String> refusals = new ArrayList<>();
        threads.add(w.scheduler().spawn("main", ctx -> {
            try {
                for (TaskHandle t : threads) { // tasks.clear() on the exit path: includes the running thread
                    t.release();
                }
            } catch (StackInUseException e) {
                refusals.add(e.getMessage());
            }
        }));
        w.scheduler().run();
        TaskHandle main = threads.get(0);
        assertEquals(1, refusals.size());
        String message = refusals.get(0);
        assertTrue(message.startsWith("cannot free the kernel stack [0x"), message);
        assertTrue(message.contains("of task 'main' (tid 1): it is in use on CPU 0; nothing was freed"), message);
        assertEquals(TaskState.EXITED, main.state(), "the zombie keeps its stack until the owner reaps it");
        assertEquals(1, w.scheduler().census().stacks());
        main.release(); // the reaper, after the switch
        assertEquals(new Census(0, 0, 0, 0, 1), w.scheduler().census());
    }

    @ParameterizedTest
    @MethodSource("arches")
    void switchingOntoAPoisonedStackIsCaught(String arch) {
        TaskWorld w = TaskWorld.boot(arch);
        TaskHandle victim = w.scheduler().spawn("victim", ctx -> ctx.park());
        w.scheduler().run();
        // what rCore's bug did: the stack's memory freed (poisoned) while a saved context lived on it
        long top = stackTopOf(w, victim);
        Mapping page = w.kernel().query(VirtAddr.of(top - 4096)).orElseThrow();
        w.frames().memory().fillPattern32(page.pa(), 4096, KernelStacks.POISON);
        w.scheduler().spawnDetached("waker", ctx -> ctx.unpark(victim));
        RunResult r = w.scheduler().run();
        ContextCorruptedException panic = (ContextCorruptedException) r.panic();
        assertNotNull(panic);
        assertTrue(panic.getMessage().startsWith("switch to task 'victim' (tid 1): saved "), panic.getMessage());
        assertTrue(panic.getMessage().endsWith("the poison pattern: its kernel stack was freed"), panic.getMessage());
        w.scheduler().shutdown();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void switchingOntoAnUnmappedStackIsCaught(String arch) {
        TaskWorld w = TaskWorld.boot(arch);
        TaskHandle victim = w.scheduler().spawn("victim", ctx -> ctx.park());
        w.scheduler().run();
        long top = stackTopOf(w, victim);
        w.kernel().unmap(VirtAddr.of(top - 4096), 4096).flush(w.scheduler().mmu(0).tlb());
        w.scheduler().spawnDetached("waker", ctx -> ctx.unpark(victim));
        RunResult r = w.scheduler().run();
        assertNotNull(r.panic());
        assertTrue(r.panic().getMessage().contains("is unreadable (NOT_PRESENT): its kernel stack was freed"), r.panic().getMessage());
    }

    /** The top of the victim's stack: slot 0 of the stack area. */
    private static long stackTopOf(TaskWorld w, TaskHandle victim) {
        assertEquals(1, victim.tid());
        long area = w.kernel().format().lowerHalfEnd() == 1L << 32 ? 0xE000_0000L : -w.kernel().format().lowerHalfEnd() + (64L << 30);
        return area + PhysAddr.PAGE_SIZE + w.scheduler().stacks().stackSize();
    }
}
