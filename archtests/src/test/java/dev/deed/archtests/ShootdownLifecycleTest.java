package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.PlantedBug;
import dev.deed.frame.Usage;
import dev.deed.lifecycle.LifecycleProperty;
import dev.deed.lifecycle.PropertyFailure;
import dev.deed.lifecycle.Settings;
import dev.deed.lifecycle.Step;
import dev.deed.paging.Access;
import dev.deed.paging.Cpus;
import dev.deed.paging.PageFault;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.Privilege;
import dev.deed.paging.UserSpace;
import dev.deed.paging.VirtAddr;
import dev.deed.task.RunResult;
import dev.deed.task.SchedulerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLB shootdowns on 1, 2 and 4 CPUs. In every step a controller task maps, unmaps or re-protects pages
 * of one user address space while a toucher task per CPU loads from it through its own CPU's MMU and
 * TLB, the CPUs interleaving step by step in an order drawn by the property (so a failing interleaving
 * shrinks and replays). Every page holds a tag naming its virtual address; an access that reached a
 * frame after it was released and reused would read another address's tag, or a page-table node's
 * bytes. After every step: no such access, user frames = pages the model maps, every shootdown
 * acknowledged, the scheduler's invariants. With PR #1387's order planted the property fails.
 */
class ShootdownLifecycleTest {
    private static final long BASE = 0x40_0000L;
    private static final int PAGES = 16;

    static Stream<Arguments> machines() {
        return Stream.of("riscv64", "i386").flatMap(arch -> Stream.of(1, 2, 4).map(cpus -> Arguments.of(arch, cpus)));
    }

    static final class Model {
        final TreeMap<Long, Long> mapped = new TreeMap<>();
        long generation = 1;
    }

    static final class World {
        final TaskWorld tasks;
        final Cpus cpus;
        final PageTable<UserSpace> user;
        final List<String> violations = new ArrayList<>();

        World(String arch, int cpus, boolean plantRejectedOrder) {
            tasks = TaskWorld.boot(arch, 64L << 20, SchedulerConfig.defaults(), cpus);
            if (plantRejectedOrder) {
                tasks.frames().faults().plant(PlantedBug.B5_FLUSH);
            }
            this.cpus = tasks.kernel().cpus();
            user = PageTable.user(tasks.kernel().format(), tasks.frames(), tasks.kernel().format().hasAsids() ? 1 : 0);
        }

        /** Runs the controller and one toucher per CPU until all are done; a failed run fails the step. */
        void round(long interleaving, Runnable controller) {
            tasks.scheduler().interleave(interleaving);
            tasks.scheduler().spawnDetached("controller", ctx -> {
                ctx.charge(false);
                controller.run();
                ctx.charge(false);
            });
            for (int t = 0; t < cpus.count(); t++) {
                SplittableRandom pick = new SplittableRandom(interleaving + t);
                tasks.scheduler().spawnDetached("toucher" + t, ctx -> {
                    for (int i = 0; i < 12; i++) {
                        long va = BASE + pick.nextInt(PAGES) * 4096L;
                        touch(va);
                        ctx.charge(true); // a step boundary: other CPUs may go, shootdowns are taken here
                    }
                });
            }
            RunResult r = tasks.scheduler().run();
            if (!r.failures().isEmpty()) {
                throw new AssertionError("the round failed: " + r.failures());
            }
            cpus.drain();
        }

        /** A load through the executing CPU's MMU; the page's tag must name this address. */
        private void touch(long va) {
            long pa;
            try {
                pa = cpus.currentMmu().translate(user.rootRegister(), VirtAddr.of(va), Access.READ, Privilege.USER);
            } catch (PageFault unmapped) {
                return;
            }
            long tag = tasks.frames().memory().readU64(pa);
            if (tag >>> 16 != va >>> 12) {
                violations.add(String.format("CPU %d read 0x%x through a stale translation: the frame at 0x%x now holds 0x%x",
                        cpus.current(), va, pa, tag));
            }
        }
    }

    private static LifecycleProperty<Model, World> property(String arch, int cpus, boolean planted) {
        return LifecycleProperty.<Model, World>named("shootdowns-" + arch + "-cpus" + cpus + (planted ? "-injectB5_FLUSH" : ""))
                .model(Model::new)
                .system(m -> new World(arch, cpus, planted))
                .action("map", m -> m.mapped.size() < PAGES, (c, m) -> {
                    List<Long> free = new ArrayList<>();
                    for (int i = 0; i < PAGES; i++) {
                        if (!m.mapped.containsKey(BASE + i * 4096L)) {
                            free.add(BASE + i * 4096L);
                        }
                    }
                    long va = c.pick(free);
                    long seed = c.between(0L, Long.MAX_VALUE - 1);
                    return Step.of(String.format("map 0x%x", va), (w, model) -> {
                        long tag = (va >>> 12) << 16 | (model.generation++ & 0xFFFF);
                        w.round(seed, () -> {
                            w.user.mapFresh(VirtAddr.of(va), 4096, PageProperty.userData(), Usage.USER, true);
                            long pa = w.user.query(VirtAddr.of(va)).orElseThrow().pa();
                            w.tasks.frames().memory().writeU64(pa, tag);
                        });
                        model.mapped.put(va, tag);
                    });
                })
                .action("unmap", m -> !m.mapped.isEmpty(), (c, m) -> {
                    long first = c.pick(List.copyOf(m.mapped.keySet()));
                    int pages = c.between(1, 4);
                    long seed = c.between(0L, Long.MAX_VALUE - 1);
                    return Step.of(String.format("unmap 0x%x +%d pages", first, pages), (w, model) -> {
                        long end = Math.min(first + pages * 4096L, BASE + PAGES * 4096L);
                        w.round(seed, () -> w.user.unmap(VirtAddr.of(first), end - first).flush());
                        model.mapped.subMap(first, end).clear();
                    });
                })
                .action("protect", m -> !m.mapped.isEmpty(), (c, m) -> {
                    long va = c.pick(List.copyOf(m.mapped.keySet()));
                    long seed = c.between(0L, Long.MAX_VALUE - 1);
                    return Step.of(String.format("protect 0x%x read-only", va), (w, model) ->
                            w.round(seed, () -> w.user.protect(VirtAddr.of(va), 4096, PageProperty.parse("ru")).flush()));
                })
                .invariant("no access reached a released or reused frame", (w, m) ->
                        w.violations.isEmpty() ? null : w.violations.get(0))
                .invariant("every shootdown acknowledged", (w, m) ->
                        w.cpus.outstanding() == 0 ? null : w.cpus.outstanding() + " shootdowns outstanding")
                .invariant("user frames = mapped pages", (w, m) -> {
                    long frames = w.tasks.frames().stats().used(Usage.USER);
                    return frames == m.mapped.size() ? null : frames + " user frames for " + m.mapped.size() + " mapped pages";
                })
                .invariant("scheduler invariants", (w, m) -> w.tasks.scheduler().verify())
                .finish((w, m) -> {
                    w.user.destroy().flush();
                    w.cpus.drain();
                    if (w.tasks.frames().stats().used(Usage.USER) + w.tasks.frames().stats().used(Usage.PAGE_TABLE) != 1) {
                        throw new AssertionError("after destroy: " + w.tasks.frames().stats());
                    }
                })
                .build();
    }

    @ParameterizedTest(name = "{0} on {1} CPUs")
    @MethodSource("machines")
    void noCpuEverReachesAReleasedFrame(String arch, int cpus) {
        property(arch, cpus, false).check();
    }

    @ParameterizedTest(name = "{0} on {1} CPUs, PR #1387's order planted")
    @MethodSource("machines")
    void releasingBeforeTheShootdownIsCaught(String arch, int cpus) {
        PropertyFailure f = assertThrows(PropertyFailure.class,
                () -> property(arch, cpus, true).check(Settings.defaults().withTrials(40)));
        assertTrue(f.getMessage().contains("cannot release") && f.getMessage().contains("TLB still"), f.getMessage());
    }
}
