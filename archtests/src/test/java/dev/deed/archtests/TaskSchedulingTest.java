package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.task.Census;
import dev.deed.task.RunResult;
import dev.deed.task.SchedulerConfig;
import dev.deed.task.TaskHandle;
import dev.deed.task.TaskState;
import dev.deed.task.TaskStateException;
import dev.deed.task.WaitQueue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Tasks run ordinary Java code, one at a time, round-robin, deterministically. */
class TaskSchedulingTest {
    static List<String> arches() {
        return TaskWorld.arches();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void tasksInterleaveRoundRobin(String arch) {
        TaskWorld w = TaskWorld.boot(arch);
        List<String> log = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            w.scheduler().spawnDetached(name, ctx -> {
                for (int i = 0; i < 3; i++) {
                    log.add(ctx.name() + i);
                    ctx.yieldNow();
                }
            });
        }
        RunResult r = w.scheduler().run();
        assertEquals(List.of("a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"), log);
        assertEquals(List.of(), r.failures());
        assertEquals(new Census(0, 0, 0, 0, 1), w.scheduler().census());
    }

    @ParameterizedTest
    @MethodSource("arches")
    void waitQueuesAndParkingHandOverTheCpu(String arch) {
        TaskWorld w = TaskWorld.boot(arch);
        WaitQueue items = w.scheduler().newWaitQueue("items");
        List<Integer> box = new ArrayList<>();
        List<String> got = new ArrayList<>();
        w.scheduler().spawnDetached("consumer", ctx -> {
            for (int i = 0; i < 3; i++) {
                while (box.isEmpty()) {
                    ctx.waitOn(items);
                }
                got.add("took " + box.remove(0));
            }
        });
        w.scheduler().spawnDetached("producer", ctx -> {
            for (int i = 0; i < 3; i++) {
                box.add(i);
                ctx.wakeOne(items);
                ctx.yieldNow();
            }
        });
        TaskHandle sleeper = w.scheduler().spawn("sleeper", ctx -> ctx.park());
        RunResult first = w.scheduler().run();
        assertEquals(List.of("took 0", "took 1", "took 2"), got);
        assertEquals(List.of("task 'sleeper' (tid 3) parked"), first.blocked());
        w.scheduler().spawnDetached("waker", ctx -> ctx.unpark(sleeper));
        w.scheduler().run();
        assertEquals(TaskState.EXITED, sleeper.state());
        assertEquals(1, w.scheduler().census().zombies(), "an owned task waits for its owner");
        sleeper.release();
        assertEquals(new Census(0, 0, 0, 0, 1), w.scheduler().census());
    }

    @ParameterizedTest
    @MethodSource("arches")
    void theSameSeedGivesTheSameInterleaving(String arch) {
        long a = fingerprint(arch, 7);
        assertEquals(a, fingerprint(arch, 7));
        assertNotEquals(a, fingerprint(arch, 8));
    }

    private static long fingerprint(String arch, long seed) {
        TaskWorld w = TaskWorld.boot(arch, 64L << 20, SchedulerConfig.defaults().withSeed(seed).withPreemption(3));
        for (int t = 0; t < 8; t++) {
            w.scheduler().spawnDetached("worker" + t, ctx -> {
                for (int i = 0; i < 20; i++) {
                    ctx.call(64, inner -> { });
                }
            });
        }
        RunResult r = w.scheduler().run();
        assertTrue(r.switches() > 20, "preemption switched often: " + r.switches());
        return r.fingerprint();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void tenThousandLiveTasksAreFine(String arch) {
        TaskWorld w = TaskWorld.boot(arch, 512L << 20, SchedulerConfig.defaults());
        List<TaskHandle> parked = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            parked.add(w.scheduler().spawn("t" + i, ctx -> ctx.park()));
        }
        RunResult r = w.scheduler().run();
        assertEquals(10_000, r.blocked().size(), "all 10 000 are parked at once, on no platform thread");
        assertNull(w.scheduler().verify());
        w.scheduler().spawnDetached("waker", ctx -> parked.forEach(ctx::unpark));
        w.scheduler().run();
        for (TaskHandle h : parked) {
            h.release();
        }
        assertEquals(new Census(0, 0, 0, 0, 1), w.scheduler().census());
    }

    @ParameterizedTest
    @MethodSource("arches")
    void misuseIsRefusedWithTheTaskNamed(String arch) {
        TaskWorld w = TaskWorld.boot(arch);
        TaskHandle live = w.scheduler().spawn("live", ctx -> ctx.park());
        w.scheduler().run();
        TaskStateException e = assertThrows(TaskStateException.class, live::release);
        assertTrue(e.getMessage().contains("cannot release task 'live' (tid 1): it is parked"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.scheduler().spawnDetached(" ", ctx -> { }));
        List<dev.deed.task.TaskContext> leaked = new ArrayList<>();
        w.scheduler().spawnDetached("leaker", leaked::add);
        w.scheduler().run();
        assertThrows(TaskStateException.class, () -> leaked.get(0).yieldNow(), "a context used outside its task");
        w.scheduler().shutdown();
        assertEquals(new Census(0, 0, 0, 0, 1), w.scheduler().census());
    }
}
