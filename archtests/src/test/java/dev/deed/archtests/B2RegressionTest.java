package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import dev.deed.task.TaskPanic;
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

    /** rCore's stack, freed (poisoned) under a parked task: switching back is that task's panic; the CPU goes on. */
    @ParameterizedTest
    @MethodSource("arches")
    void switchingOntoAPoisonedStackIsThatTasksPanic(String arch) {
        TaskWorld w = TaskWorld.boot(arch);
        TaskHandle victim = w.scheduler().spawn("victim", ctx -> ctx.park());
        w.scheduler().run();
        long top = stackTopOf(w, victim);
        Mapping page = w.kernel().query(VirtAddr.of(top - 4096)).orElseThrow();
        w.frames().memory().fillPattern32(page.pa(), 4096, KernelStacks.POISON);
        List<String> ranAfter = new ArrayList<>();
        w.scheduler().spawnDetached("waker", ctx -> ctx.unpark(victim));
        w.scheduler().spawnDetached("after", ctx -> ranAfter.add("after"));
        RunResult r = w.scheduler().run();
        assertEquals(1, r.panics().size(), r.toString());
        TaskPanic panic = r.panics().get(0);
        assertEquals("victim", panic.task());
        assertEquals("restoring its context", panic.point());
        assertTrue(panic.cause() instanceof ContextCorruptedException, panic.toString());
        assertTrue(panic.cause().getMessage().endsWith("the poison pattern: its kernel stack was freed"), panic.toString());
        assertEquals(List.of("after"), ranAfter, "the CPU went on to the next task");
        assertEquals(TaskState.EXITED, victim.state());
        victim.release();
        assertEquals(new Census(0, 0, 0, 0, 1), w.scheduler().census());
    }

    /** The hole the issue found: kernel code unmapping a live stack through the kernel table is refused. */
    @ParameterizedTest
    @MethodSource("arches")
    void unmappingOrProtectingALiveStackThroughTheKernelTableIsRefused(String arch) {
        TaskWorld w = TaskWorld.boot(arch);
        TaskHandle parked = w.scheduler().spawn("parked", ctx -> ctx.park());
        w.scheduler().run();
        long top = stackTopOf(w, parked);
        var before = w.kernel().mappings();
        StackInUseException e = assertThrows(StackInUseException.class,
                () -> w.kernel().unmap(VirtAddr.of(top - 4096), 4096).flush());
        assertTrue(e.getMessage().startsWith("unmap [0x"), e.getMessage());
        assertTrue(e.getMessage().contains("of task 'parked' (tid 1) (parked)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("nothing was changed"), e.getMessage());
        assertThrows(StackInUseException.class, () -> w.kernel().protect(VirtAddr.of(top - 8192), 8192,
                dev.deed.paging.PageProperty.parse("r")).flush());
        assertThrows(StackInUseException.class, () -> w.kernel().destroy().flush());
        assertEquals(before, w.kernel().mappings(), "the refusals changed nothing");

        List<String> refusals = new ArrayList<>();
        w.scheduler().spawnDetached("runner", ctx -> {
            long page = ctx.stackPointer() - 1 & -4096L;
            try {
                w.kernel().unmap(VirtAddr.of(page), 4096).flush();
            } catch (StackInUseException refused) {
                refusals.add(refused.getMessage());
            }
        });
        RunResult r = w.scheduler().run();
        assertEquals(List.of(), r.failures());
        assertEquals(1, refusals.size());
        assertTrue(refusals.get(0).contains("of task 'runner' (tid 2), in use on CPU 0"), refusals.get(0));
        w.scheduler().unpark(parked);
        w.scheduler().run();
        parked.release();
        assertEquals(new Census(0, 0, 0, 0, 1), w.scheduler().census());
    }

    /**
     * Across CPUs: a task running on one CPU cannot be reaped from another — its stack is refused,
     * naming the CPU it is in use on — and once it has exited and switched away, the reaper frees it.
     */
    @ParameterizedTest
    @MethodSource("arches")
    void aTaskRunningOnAnotherCpuKeepsItsStackUntilItHasSwitchedAway(String arch) {
        TaskWorld w = TaskWorld.boot(arch, 64L << 20, dev.deed.task.SchedulerConfig.defaults(), 2);
        boolean[] stop = new boolean[1];
        TaskHandle busy = w.scheduler().spawn("busy", ctx -> {
            while (!stop[0]) {
                ctx.charge(true); // steps on its CPU
            }
        });
        List<String> seen = new ArrayList<>();
        w.scheduler().spawnDetached("reaper", ctx -> {
            while (busy.state() != TaskState.RUNNING || ctx.cpu() == w.scheduler().times(busy.tid()).orElseThrow().cpu()) {
                ctx.charge(false);
            }
            int other = w.scheduler().times(busy.tid()).orElseThrow().cpu();
            StackInUseException e = assertThrows(StackInUseException.class, busy::release);
            seen.add(ctx.cpu() + " " + other + " " + e.getMessage());
            stop[0] = true;
            while (busy.state() != TaskState.EXITED) {
                ctx.charge(false);
            }
            busy.release(); // it has switched away for good: the reaper frees its stack
            seen.add("released");
        });
        RunResult r = w.scheduler().run();
        assertEquals(List.of(), r.failures());
        assertEquals(2, seen.size(), seen.toString());
        String[] parts = seen.get(0).split(" ", 3);
        assertTrue(!parts[0].equals(parts[1]), "the reaper and the busy task were on different CPUs: " + seen);
        assertTrue(parts[2].contains("of task 'busy' (tid 1): it is in use on CPU " + parts[1] + "; nothing was freed"), parts[2]);
        assertEquals(new Census(0, 0, 0, 0, 2), w.scheduler().census());
    }

    /** The top of the victim's stack: slot 0 of the stack area. */
    private static long stackTopOf(TaskWorld w, TaskHandle victim) {
        assertEquals(1, victim.tid());
        long area = w.kernel().format().lowerHalfEnd() == 1L << 32 ? 0xE000_0000L : -w.kernel().format().lowerHalfEnd() + (64L << 30);
        return area + PhysAddr.PAGE_SIZE + w.scheduler().stacks().stackSize();
    }
}
