package dev.deed.kernel.soak;

import dev.deed.frame.OutOfFramesException;
import dev.deed.kernel.boot.RunObserver;
import dev.deed.lifecycle.Choices;
import dev.deed.lifecycle.LifecycleProperty;
import dev.deed.lifecycle.Step;
import dev.deed.process.Errno;
import dev.deed.process.Program;
import dev.deed.process.WaitResult;
import java.util.List;

/**
 * The flagship lifecycle property: a booted kernel, random syscalls from random processes (fork,
 * exec, exit, kill, waitpid blocking and no-hang, spawnThread, exitThread, /proc reads and the
 * memory actions of {@link MemoryActions}: mmap, munmap, mprotect, loads and stores that fault pages
 * in, break copy-on-write shares or end the process with SIGSEGV) and a driver mapping device memory
 * into the kernel table ({@link KernelMappings}). After every step ({@link FlagshipChecks}): the
 * process tree matches the model, each process maps the model's pages, every user frame's reference
 * count equals the leaves mapping it and a shared frame is read-only everywhere, /proc agrees with
 * the pid table, the scheduler and heap invariants hold. At the end everything is reaped and all
 * counts are at the baseline.
 *
 * <p>Under {@link Pressure}, fork, exec, spawnThread and mmap may have an allocation fail (a drawn
 * choice) and trials may run on small machines; every refused call must leave every count of the
 * resource report as it was ({@link World#refusable}), and a zombie must hold no memory or task. A
 * load or store whose page fault gets no frame ends its process with SIGKILL instead.
 */
public final class Flagship {
    private Flagship() {
    }

    /** The property for one architecture, without memory pressure. */
    public static LifecycleProperty<SoakModel, World> property(String arch) {
        return property(arch, Pressure.NONE);
    }

    /**
     * The property for one architecture under {@code pressure}: allocating syscalls may have
     * allocations fail and trials may run on small machines; every refusal must change nothing.
     */
    public static LifecycleProperty<SoakModel, World> property(String arch, Pressure pressure) {
        return property(arch, pressure, new Refusals());
    }

    /** As {@link #property(String, Pressure)}, counting refusals and injected faults into {@code refusals}. */
    public static LifecycleProperty<SoakModel, World> property(String arch, Pressure pressure, Refusals refusals) {
        return property(FlagshipConfig.of(arch, pressure), refusals);
    }

    /**
     * The property {@code config} names. With a planted bug the kernel performs that bug's wrong step
     * wherever it did originally, so the property fails, caught by the layer {@link CaughtBy} names.
     */
    public static LifecycleProperty<SoakModel, World> property(FlagshipConfig config, Refusals refusals) {
        return property(config, refusals, RunObserver.NONE);
    }

    /** As {@link #property(FlagshipConfig, Refusals)}, every trial's kernel watched by {@code observer} (a report's recorder). */
    public static LifecycleProperty<SoakModel, World> property(FlagshipConfig config, Refusals refusals, RunObserver observer) {
        String arch = config.arch();
        Pressure pressure = config.pressure();
        return LifecycleProperty.<SoakModel, World>named(config.name())
                .modelFrom(c -> new SoakModel(pressure.drawMemory(c), refusals))
                .system(m -> world(config, m, observer))
                .action("fork", m -> !m.idle().isEmpty() && m.procs.size() < 24, (c, m) -> fork(c, m, pressure.drawFault(c)))
                .action("exec", m -> m.idle().stream().anyMatch(p -> p.threads.isEmpty()), (c, m) -> exec(c, m, pressure.drawFault(c)))
                .action("exit", m -> m.idle().stream().anyMatch(p -> p.pid != 1), Flagship::exit)
                .action("kill", m -> m.idle().size() >= 2, Flagship::kill)
                .action("waitpid", m -> !m.idleWithChildren().isEmpty(), Flagship::waitpid)
                .action("spawnThread", m -> !m.idle().isEmpty(), (c, m) -> spawnThread(c, m, pressure.drawFault(c)))
                .action("exitThread", m -> m.idle().stream().anyMatch(p -> !p.threads.isEmpty()), Flagship::exitThread)
                .action("mmap", m -> !m.idle().isEmpty(), (c, m) -> MemoryActions.mmap(c, m, pressure))
                .action("munmap", m -> !m.idle().isEmpty(), MemoryActions::munmap)
                .action("munmap of shared", MemoryActions::canUnmapShared, MemoryActions::munmapShared)
                .action("mprotect", m -> !m.idle().isEmpty(), MemoryActions::mprotect)
                .action("store", Flagship::anyPages, (c, m) -> MemoryActions.store(c, m, pressure))
                .action("write after fork", MemoryActions::canWriteShared, (c, m) -> MemoryActions.writeAfterFork(c, m, pressure))
                .action("load", Flagship::anyPages, (c, m) -> MemoryActions.load(c, m, pressure))
                .action("read /proc", m -> !m.idle().isEmpty(), Flagship::readProc)
                .action("ioremap", m -> true, KernelMappings::ioremap)
                .invariant("process tree matches the model", FlagshipChecks::tree)
                .invariant("each process maps the model's pages", FlagshipChecks::areas)
                .invariant("reference counts equal mappings; shared frames are read-only", FlagshipChecks::references)
                .invariant("/proc agrees with the pid table", FlagshipChecks::procfsLists)
                .invariant("scheduler and heap invariants", FlagshipChecks::schedulerAndHeap)
                .invariant("a zombie holds no memory and no task", FlagshipChecks::zombies)
                .finish(FlagshipChecks::reapEverything)
                .build();
    }

    private static World world(FlagshipConfig config, SoakModel model, RunObserver observer) throws OutOfFramesException {
        World w = new World(config, model.memory, model.programs, model.refusals, observer);
        SoakModel.Proc init = new SoakModel.Proc(1, 0);
        init.mainTid = w.agents.mainThreadOf(1);
        loadProgramPages(init, w.userTop);
        model.procs.put(1, init);
        return w;
    }

    /** The pages {@code Program.of} loads: .text, .data and a 64 KiB stack below a guard page. */
    private static void loadProgramPages(SoakModel.Proc p, long userTop) {
        p.pages.clear();
        MemoryActions.addPages(p, 0x1_0000, 4, false);
        MemoryActions.addPages(p, 0x2_0000, 2, true);
        MemoryActions.addPages(p, userTop - MemoryActions.PAGE - (64L << 10), 16, true);
    }

    private static boolean anyPages(SoakModel m) {
        return !MemoryActions.accessors(m).isEmpty();
    }

    // ---- actions ----

    private static Step<SoakModel, World> fork(Choices c, SoakModel m, Fault fault) {
        SoakModel.Proc parent = c.pick(m.idle());
        return Step.of("pid " + parent.pid + ": fork" + fault, (w, model) -> {
            Object r = w.refusable(parent.mainTid, fault, sys -> sys.fork(w.agents.main()));
            if (World.isRefusal(r)) {
                return;
            }
            int pid = (Integer) Expect.ok(r);
            SoakModel.Proc child = new SoakModel.Proc(pid, parent.pid);
            child.mainTid = w.agents.mainThreadOf(pid);
            child.pages.putAll(parent.pages);
            model.procs.put(pid, child);
            parent.children.add(pid);
        });
    }

    private static Step<SoakModel, World> exec(Choices c, SoakModel m, Fault fault) {
        SoakModel.Proc p = c.pick(m.idle().stream().filter(x -> x.threads.isEmpty()).toList());
        return Step.of("pid " + p.pid + ": exec" + fault, (w, model) -> {
            String name = "prog" + (model.programs++);
            Object r = w.refusable(p.mainTid, fault, sys -> {
                sys.exec(Program.of(name, w.agents.main(), name, "--step", Integer.toString(model.programs)));
                return "unreachable";
            });
            if (World.isRefusal(r)) {
                return; // the old image stays
            }
            if (r != null) {
                throw new AssertionError("exec returned " + r, r instanceof Exception cause ? cause : null);
            }
            loadProgramPages(p, w.userTop);
        });
    }

    private static Step<SoakModel, World> exit(Choices c, SoakModel m) {
        SoakModel.Proc p = c.pick(m.idle().stream().filter(x -> x.pid != 1).toList());
        int status = c.below(256);
        return Step.of("pid " + p.pid + ": exit(" + status + ")", (w, model) -> {
            w.command(p.mainTid, sys -> {
                sys.exit(status);
                return "unreachable";
            });
            model.exited(p);
        });
    }

    private static Step<SoakModel, World> kill(Choices c, SoakModel m) {
        SoakModel.Proc killer = c.pick(m.idle());
        List<SoakModel.Proc> targets = m.procs.values().stream().filter(p -> !p.zombie && p.pid != 1 && p != killer).toList();
        boolean stale = targets.isEmpty() || c.oneIn(5);
        SoakModel.Proc target = stale ? null : c.pick(targets);
        int pid = target == null ? 999 : target.pid;
        return Step.of("pid " + killer.pid + ": kill(" + pid + ")", (w, model) -> {
            Object r = w.command(killer.mainTid, sys -> {
                sys.kill(pid);
                return "ok";
            });
            if (target == null) {
                Expect.errno(r, Errno.ESRCH);
            } else {
                Expect.ok(r);
                target.waiting = false;
                model.exited(target);
            }
        });
    }

    private static Step<SoakModel, World> waitpid(Choices c, SoakModel m) {
        SoakModel.Proc p = c.pick(m.idleWithChildren());
        boolean noHang = p.pid == 1 || c.oneIn(2);
        return Step.of("pid " + p.pid + ": waitpid(-1" + (noHang ? ", WNOHANG)" : ")"), (w, model) -> {
            Integer zombie = p.children.stream().filter(ch -> model.require(ch).zombie).findFirst().orElse(null);
            Object r = w.command(p.mainTid, sys -> sys.waitpid(-1, noHang));
            if (zombie != null) {
                WaitResult got = (WaitResult) Expect.ok(r);
                if (got.pid() != zombie) {
                    throw new AssertionError("waitpid reaped " + got.pid() + ", the model expected " + zombie);
                }
                model.reaped(p, zombie);
            } else if (noHang) {
                if (!WaitResult.NONE.equals(Expect.ok(r))) {
                    throw new AssertionError("waitpid WNOHANG returned " + r + " with no zombie child");
                }
            } else {
                if (r != null) {
                    throw new AssertionError("a blocking waitpid with no zombie child returned " + r,
                            r instanceof Exception cause ? cause : null);
                }
                p.waiting = true;
            }
        });
    }

    private static Step<SoakModel, World> spawnThread(Choices c, SoakModel m, Fault fault) {
        SoakModel.Proc p = c.pick(m.idle());
        return Step.of("pid " + p.pid + ": spawnThread" + fault, (w, model) -> {
            Object r = w.refusable(p.mainTid, fault, sys -> sys.spawnThread(w.agents.thread()));
            if (!World.isRefusal(r)) {
                p.threads.add((Integer) Expect.ok(r));
            }
        });
    }

    private static Step<SoakModel, World> exitThread(Choices c, SoakModel m) {
        SoakModel.Proc p = c.pick(m.idle().stream().filter(x -> !x.threads.isEmpty()).toList());
        int tid = c.pick(p.threads);
        return Step.of("pid " + p.pid + " thread " + tid + ": exitThread", (w, model) -> {
            w.command(tid, sys -> {
                sys.exitThread();
                return "unreachable";
            });
            p.threads.remove(Integer.valueOf(tid));
        });
    }

    private static Step<SoakModel, World> readProc(Choices c, SoakModel m) {
        SoakModel.Proc reader = c.pick(m.idle());
        int pid = c.pick(List.copyOf(m.procs.keySet()));
        return Step.of("pid " + reader.pid + ": read /proc/" + pid + "/status", (w, model) -> {
            Object r = w.command(reader.mainTid, sys -> sys.read("/proc/" + pid + "/status"));
            String status = (String) Expect.ok(r);
            SoakModel.Proc p = model.require(pid);
            String state = p.zombie ? "State:\tZ (zombie)" : pid == reader.pid ? "State:\tR (running)" : "State:\tS (sleeping)";
            String memory = p.zombie ? "" : String.format("VmSize:\t%8d kB", p.pages.size() * 4);
            int threads = p.zombie ? 1 : 1 + p.threads.size(); // a Linux zombie shows one thread
            if (!status.contains(state) || !status.contains(memory) || p.zombie == status.contains("VmSize")
                    || !status.contains("Threads:\t" + threads)) {
                throw new AssertionError("/proc/" + pid + "/status disagrees with the model (" + state + ", "
                        + (p.zombie ? "no memory" : memory) + ", " + threads + " threads):\n" + status);
            }
        });
    }
}
