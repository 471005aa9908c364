package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.Usage;
import dev.deed.kernel.soak.Fault;
import dev.deed.lifecycle.LifecycleProperty;
import dev.deed.lifecycle.Step;
import dev.deed.task.Census;
import dev.deed.task.RunResult;
import dev.deed.task.TaskHandle;
import dev.deed.task.TaskState;
import dev.deed.task.WaitQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tasks driven by commands: each agent task parks until the driver hands it a command (yield, call,
 * spawn a detached child, wait, wake, exit), and checks the scheduler's invariants whenever it runs.
 * The driver spawns agents, sends commands, releases zombies, and after every step checks: the
 * scheduler's invariants, agent states against the model, the census, and stack frames conserved.
 * Spawns may have an allocation fail (a drawn choice); a refused spawn must change nothing. On
 * several CPUs every step draws the seed of its interleaving, so a failing one shrinks and replays.
 */
class TaskLifecycleTest {
    /** Both architectures on 1, 2 and 4 CPUs. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> machines() {
        return TaskWorld.arches().stream().flatMap(arch -> java.util.stream.Stream.of(1, 2, 4)
                .map(cpus -> org.junit.jupiter.params.provider.Arguments.of(arch, cpus)));
    }

    enum Life { IDLE, WAITING, ZOMBIE }

    static final class Agent {
        final int id;
        final ArrayDeque<String> mailbox = new ArrayDeque<>();
        TaskHandle handle;
        Life life = Life.IDLE;

        Agent(int id) {
            this.id = id;
        }

        @Override
        public String toString() {
            return "agent" + id;
        }
    }

    static final class Model {
        final long ram;
        final List<Agent> agents = new ArrayList<>();
        final List<Agent> waiting = new ArrayList<>();
        int nextId;

        Model(long ram) {
            this.ram = ram;
        }

        List<Agent> in(Life life) {
            return agents.stream().filter(a -> a.life == life).toList();
        }
    }

    static final class World {
        final TaskWorld tasks;
        final WaitQueue queue;
        final List<Agent> agents = new ArrayList<>();

        World(String arch, long ram, int cpus) {
            tasks = TaskWorld.boot(arch, ram, dev.deed.task.SchedulerConfig.defaults(), cpus);
            queue = tasks.scheduler().newWaitQueue("q");
        }

        void run() {
            RunResult r = tasks.scheduler().run();
            if (!r.failures().isEmpty()) {
                throw new AssertionError("the run failed: " + r.failures());
            }
        }
    }

    @ParameterizedTest(name = "{0} on {1} CPUs")
    @MethodSource("machines")
    void tasksKeepEveryInvariant(String arch, int cpus) {
        LifecycleProperty.<Model, World>named("tasks-" + arch + "-cpus" + cpus)
                .modelFrom(c -> new Model(c.pick(List.of(128L << 20, 16L << 20))))
                .system(m -> new World(arch, m.ram, cpus))
                .action("spawn", m -> m.agents.size() < 24, (c, m) -> {
                    Fault fault = Fault.draw(c, 1.0 / 3);
                    long interleaving = c.between(0L, Long.MAX_VALUE - 1);
                    return Step.of("spawn agent" + m.nextId + fault, (w, model) -> {
                    w.tasks.scheduler().interleave(interleaving);
                    Agent a = new Agent(model.nextId);
                    w.tasks.frames().drainCpuCaches();
                    var before = w.tasks.frames().stats();
                    Census census = w.tasks.scheduler().census();
                    fault.arm(w.tasks.frames().faults());
                    try {
                        a.handle = w.tasks.scheduler().spawn("agent" + a.id, ctx -> {
                        while (true) {
                            String command = a.mailbox.poll();
                            if (command == null) {
                                ctx.park();
                                continue;
                            }
                            String broken = w.tasks.scheduler().verify();
                            if (broken != null) {
                                throw new AssertionError(broken);
                            }
                            switch (command) {
                                case "yield" -> ctx.yieldNow();
                                case "call" -> ctx.call(2048, inner -> inner.yieldNow());
                                case "spawn" -> {
                                    try {
                                        ctx.spawnDetached("child of agent" + a.id, child -> child.yieldNow());
                                    } catch (OutOfFramesException refused) {
                                        // a child that cannot be had is no child: the census check sees nothing changed
                                    }
                                }
                                case "wait" -> ctx.waitOn(w.queue);
                                case "wake" -> ctx.wakeOne(w.queue);
                                case "exit" -> ctx.exit();
                                default -> throw new IllegalStateException(command);
                            }
                        }
                    });
                    } catch (OutOfFramesException refused) {
                        w.tasks.frames().drainCpuCaches();
                        assertEquals(before, w.tasks.frames().stats(), "a refused spawn changed the allocator");
                        assertEquals(census, w.tasks.scheduler().census(), "a refused spawn changed the census");
                        return;
                    } finally {
                        w.tasks.frames().faults().clear();
                    }
                    model.nextId++;
                    w.agents.add(a);
                    model.agents.add(a);
                    w.run();
                    });
                })
                .action("command", m -> !m.in(Life.IDLE).isEmpty(), (c, m) -> {
                    Agent a = c.pick(m.in(Life.IDLE));
                    String command = c.pick(List.of("yield", "call", "spawn", "wait", "wake", "exit"));
                    Fault fault = command.equals("spawn") ? Fault.draw(c, 1.0 / 3) : Fault.NONE;
                    long interleaving = c.between(0L, Long.MAX_VALUE - 1);
                    return Step.of(command + " → " + a + fault, (w, model) -> {
                        w.tasks.scheduler().interleave(interleaving);
                        fault.arm(w.tasks.frames().faults());
                        a.mailbox.add(command);
                        w.tasks.scheduler().unpark(a.handle);
                        switch (command) {
                            case "wait" -> {
                                a.life = Life.WAITING;
                                model.waiting.add(a);
                            }
                            case "wake" -> {
                                if (!model.waiting.isEmpty()) {
                                    model.waiting.remove(0).life = Life.IDLE;
                                }
                            }
                            case "exit" -> a.life = Life.ZOMBIE;
                            default -> { }
                        }
                        w.run();
                        w.tasks.frames().faults().clear();
                    });
                })
                .action("release", m -> !m.in(Life.ZOMBIE).isEmpty(), (c, m) -> {
                    Agent a = c.pick(m.in(Life.ZOMBIE));
                    return Step.of("release " + a, (w, model) -> {
                        a.handle.release();
                        model.agents.remove(a);
                    });
                })
                .invariant("scheduler invariants", (w, m) -> w.tasks.scheduler().verify())
                .invariant("agent states match the model", (w, m) -> {
                    for (Agent a : m.agents) {
                        TaskState want = switch (a.life) {
                            case IDLE -> TaskState.PARKED;
                            case WAITING -> TaskState.WAITING;
                            case ZOMBIE -> TaskState.EXITED;
                        };
                        if (a.handle.state() != want) {
                            return a + " is " + a.handle.state() + ", model " + a.life;
                        }
                    }
                    return null;
                })
                .invariant("census matches the model", (w, m) -> {
                    Census census = w.tasks.scheduler().census();
                    Census want = new Census(m.agents.size(), m.in(Life.ZOMBIE).size(), m.agents.size(),
                            (long) m.agents.size() * (w.tasks.scheduler().stacks().stackSize() / 4096), cpus);
                    return census.equals(want) ? null : "census " + census + ", model " + want;
                })
                .invariant("stack frames conserved", (w, m) -> {
                    long frames = w.tasks.frames().stats().used(Usage.KERNEL_STACK);
                    return frames == w.tasks.scheduler().census().stackFrames() ? null : frames + " KERNEL_STACK frames";
                })
                .finish((w, model) -> {
                    w.tasks.scheduler().shutdown();
                    for (Agent a : model.agents) {
                        if (!a.handle.isReleased() && a.handle.state() == TaskState.EXITED) {
                            a.handle.release();
                        }
                    }
                    assertEquals(new Census(0, 0, 0, 0, cpus), w.tasks.scheduler().census());
                    assertEquals(0, w.tasks.frames().stats().used(Usage.KERNEL_STACK));
                })
                .build()
                .check();
    }
}
