package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.PlantedBug;
import dev.deed.task.RunResult;
import dev.deed.task.StackInUseException;
import dev.deed.task.TaskHandle;
import dev.deed.task.TaskPanic;
import dev.deed.task.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nothing inside a switch, an exit or a stack release may leave the CPU unowned (B2's hang). Each
 * failure point is made to fail the way a stray kernel write would — the stack's page-table entry
 * zeroed beneath every API, and the TLB flushed as rCore's explicit sfence.vma did — and each time
 * the failure is that task's reported panic, the CPU goes on to the next task, and run() returns.
 */
class SwitchFailureTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    static List<String> arches() {
        return TaskWorld.arches();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void aContextThatCannotBeSavedOnASwitchIsThatTasksPanicAndItUnwinds(String arch) {
        TaskWorld w = TaskWorld.boot(arch);
        List<String> seen = new ArrayList<>();
        TaskHandle victim = w.scheduler().spawn("victim", ctx -> {
            clobberOwnStack(w, ctx.stackPointer());
            try {
                ctx.yieldNow();
                seen.add("victim resumed");
            } finally {
                seen.add("victim unwound");
            }
        });
        w.scheduler().spawnDetached("other", ctx -> seen.add("other ran"));
        RunResult r = assertTimeoutPreemptively(BOUND, () -> w.scheduler().run());
        TaskPanic panic = only(r);
        assertEquals("saving its context on a switch", panic.point());
        assertEquals(List.of("victim unwound", "other ran"), seen);
        assertEquals(TaskState.EXITED, victim.state());
        assertEquals(List.of(), r.blocked());
    }

    @ParameterizedTest
    @MethodSource("arches")
    void aContextThatCannotBeSavedOnExitIsReportedAndTheCpuHandedOn(String arch) {
        TaskWorld w = TaskWorld.boot(arch);
        List<String> seen = new ArrayList<>();
        TaskHandle victim = w.scheduler().spawn("victim", ctx -> clobberOwnStack(w, ctx.stackPointer()));
        w.scheduler().spawnDetached("other", ctx -> seen.add("other ran"));
        RunResult r = assertTimeoutPreemptively(BOUND, () -> w.scheduler().run());
        assertEquals("saving its context on exit", only(r).point());
        assertEquals(List.of("other ran"), seen);
        assertEquals(TaskState.EXITED, victim.state());
    }

    @ParameterizedTest
    @MethodSource("arches")
    void aStackThatCannotBeFreedAfterTheSwitchIsReportedAndTheCpuGoesOn(String arch) {
        TaskWorld w = TaskWorld.boot(arch);
        List<String> seen = new ArrayList<>();
        // a detached task whose stack's bottom page is gone when the next task releases it after the switch
        w.scheduler().spawnDetached("victim", ctx -> clobberBottomOfOwnStack(w, ctx.stackPointer()));
        w.scheduler().spawnDetached("next", ctx -> seen.add("next ran"));
        RunResult r = assertTimeoutPreemptively(BOUND, () -> w.scheduler().run());
        TaskPanic panic = only(r);
        assertEquals("victim", panic.task());
        assertEquals("freeing its kernel stack", panic.point());
        assertEquals(List.of("next ran"), seen);
        assertEquals(0, w.scheduler().census().tasks(), "the task is gone; its stack is a reported leak");
    }

    @ParameterizedTest
    @MethodSource("arches")
    void aContextThatCannotBeRestoredIsThatTasksPanicAndTheNextOneRuns(String arch) {
        TaskWorld w = TaskWorld.boot(arch);
        long[] sp = new long[1];
        TaskHandle victim = w.scheduler().spawn("victim", ctx -> {
            sp[0] = ctx.stackPointer();
            ctx.park();
        });
        w.scheduler().run();
        Ptes.clobber(w.frames().memory(), w.kernel().format(), w.kernel().rootAddress().value(), sp[0] - 1 & -4096L);
        w.scheduler().mmu(0).tlb().invalidateAll();
        List<String> seen = new ArrayList<>();
        w.scheduler().unpark(victim);
        w.scheduler().spawnDetached("other", ctx -> seen.add("other ran"));
        RunResult r = assertTimeoutPreemptively(BOUND, () -> w.scheduler().run());
        TaskPanic panic = only(r);
        assertEquals("restoring its context", panic.point());
        assertTrue(panic.cause().getMessage().contains("is unreadable"), panic.toString());
        assertEquals(List.of("other ran"), seen);
    }

    /** B2 planted: every exit tries to free its own stack; each refusal is a reported panic and the run completes. */
    @ParameterizedTest
    @MethodSource("arches")
    void thePlantedB2IsCaughtByTheStackCheckAndNeverHangs(String arch) {
        TaskWorld w = TaskWorld.boot(arch);
        w.frames().faults().plant(PlantedBug.B2);
        for (int i = 0; i < 5; i++) {
            w.scheduler().spawnDetached("t" + i, ctx -> ctx.yieldNow());
        }
        RunResult r = assertTimeoutPreemptively(BOUND, () -> w.scheduler().run());
        assertEquals(5, r.panics().size(), r.toString());
        for (TaskPanic p : r.panics()) {
            assertTrue(p.cause() instanceof StackInUseException, p.toString());
            assertTrue(p.point().contains("planted B2"), p.toString());
            assertTrue(p.cause().getMessage().contains("it is in use on CPU 0"), p.toString());
        }
        assertEquals(0, w.scheduler().census().stacks(), "each stack was still freed after its switch");
    }

    private static TaskPanic only(RunResult r) {
        assertEquals(1, r.panics().size(), r.toString());
        assertEquals(1, r.failures().size(), r.toString());
        return r.panics().get(0);
    }

    /** Zeroes the PTE of the page below {@code sp} (where the next save goes) and flushes the TLB. */
    private static void clobberOwnStack(TaskWorld w, long sp) {
        Ptes.clobber(w.frames().memory(), w.kernel().format(), w.kernel().rootAddress().value(), sp - 1 & -4096L);
        w.scheduler().mmu(0).tlb().invalidateAll();
    }

    /** Zeroes the PTE of the stack's bottom page, which release walks first and the exit's save (near the top) does not use. */
    private static void clobberBottomOfOwnStack(TaskWorld w, long sp) {
        long stackTop = (sp + 4095) & -4096L;
        long lowest = stackTop - w.scheduler().stacks().stackSize();
        Ptes.clobber(w.frames().memory(), w.kernel().format(), w.kernel().rootAddress().value(), lowest);
        w.scheduler().mmu(0).tlb().invalidateAll();
    }
}
