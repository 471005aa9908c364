package dev.deed.kernel.soak;

import dev.deed.frame.FrameState;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.Usage;
import dev.deed.kernel.boot.ResourceReport;
import dev.deed.lifecycle.Choices;
import dev.deed.lifecycle.LifecycleProperty;
import dev.deed.lifecycle.Step;
import dev.deed.process.Errno;
import dev.deed.process.ProcessInfo;
import dev.deed.process.ProcessState;
import dev.deed.process.Program;
import dev.deed.process.SyscallException;
import dev.deed.process.WaitResult;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The flagship lifecycle property: a booted kernel, random syscalls from random processes (fork,
 * exec, exit, kill, waitpid blocking and no-hang, spawnThread, exitThread, mmap, munmap, mprotect,
 * loads, stores, /proc reads) and a driver mapping device memory into the kernel table ({@link KernelMappings}), and after every step: the process tree matches the model, every
 * mapped page translates to a frame of its own, frames are conserved, /proc agrees with the pid table,
 * the scheduler and heap invariants hold. At the end everything is reaped and all counts are at the
 * baseline.
 *
 * <p>Under {@link Pressure}, fork, exec, spawnThread and mmap may have an allocation fail (a drawn
 * choice) and trials may run on small machines; every refused call must leave every count of the
 * resource report as it was ({@link World#refusable}), and a zombie must hold no memory or task.
 */
public final class Flagship {
    private static final long PAGE = 4096;
    private static final long WINDOW = 0x4000_0000L; // mmap's base: where munmap and mprotect aim
    private static final String[] PROTS = {"rw", "r", "rx"};

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
        String arch = config.arch();
        Pressure pressure = config.pressure();
        return LifecycleProperty.<SoakModel, World>named(config.name())
                .modelFrom(c -> new SoakModel(pressure.drawMemory(c), refusals))
                .system(m -> world(config, m))
                .action("fork", m -> !m.idle().isEmpty() && m.procs.size() < 24, (c, m) -> fork(c, m, pressure.drawFault(c)))
                .action("exec", m -> m.idle().stream().anyMatch(p -> p.threads.isEmpty()), (c, m) -> exec(c, m, pressure.drawFault(c)))
                .action("exit", m -> m.idle().stream().anyMatch(p -> p.pid != 1), Flagship::exit)
                .action("kill", m -> m.idle().size() >= 2, Flagship::kill)
                .action("waitpid", m -> !m.idleWithChildren().isEmpty(), Flagship::waitpid)
                .action("spawnThread", m -> !m.idle().isEmpty(), (c, m) -> spawnThread(c, m, pressure.drawFault(c)))
                .action("exitThread", m -> m.idle().stream().anyMatch(p -> !p.threads.isEmpty()), Flagship::exitThread)
                .action("mmap", m -> !m.idle().isEmpty(), (c, m) -> mmap(c, m, pressure))
                .action("munmap", m -> !m.idle().isEmpty(), Flagship::munmap)
                .action("mprotect", m -> !m.idle().isEmpty(), Flagship::mprotect)
                .action("store", m -> m.idle().stream().anyMatch(p -> !p.pages.isEmpty()), Flagship::store)
                .action("load", m -> m.idle().stream().anyMatch(p -> !p.pages.isEmpty()), Flagship::load)
                .action("read /proc", m -> !m.idle().isEmpty(), Flagship::readProc)
                .action("ioremap", m -> true, KernelMappings::ioremap)
                .invariant("process tree matches the model", Flagship::tree)
                .invariant("every mapped page has a frame of its own", Flagship::pages)
                .invariant("frames conserved", (w, m) -> {
                    long user = w.kernel.frames().stats().used(Usage.USER);
                    return user == m.totalPages() ? null : user + " user frames, the model maps " + m.totalPages() + " pages";
                })
                .invariant("/proc agrees with the pid table", (w, m) -> {
                    List<Integer> listed = w.kernel.procfs().list("/proc", 1).stream()
                            .filter(e -> e.chars().allMatch(Character::isDigit)).map(Integer::valueOf).toList();
                    return listed.equals(w.kernel.processes().pids()) ? null : "/proc lists " + listed;
                })
                .invariant("scheduler and heap invariants", (w, m) -> {
                    String s = w.kernel.scheduler().verify();
                    return s != null ? s : w.kernel.heap().verify();
                })
                .invariant("a zombie holds no memory and no task", Flagship::zombies)
                .finish(Flagship::reapEverything)
                .build();
    }

    private static World world(FlagshipConfig config, SoakModel model) throws OutOfFramesException {
        World w = new World(config, model.memory, model.programs, model.refusals);
        SoakModel.Proc init = new SoakModel.Proc(1, 0);
        init.mainTid = w.agents.mainThreadOf(1);
        loadProgramPages(init, w.userTop);
        model.procs.put(1, init);
        return w;
    }

    /** The pages {@code Program.of} loads: .text, .data and a 64 KiB stack below a guard page. */
    private static void loadProgramPages(SoakModel.Proc p, long userTop) {
        p.pages.clear();
        addPages(p, 0x1_0000, 4, false);
        addPages(p, 0x2_0000, 2, true);
        addPages(p, userTop - PAGE - (64L << 10), 16, true);
    }

    private static void addPages(SoakModel.Proc p, long start, long count, boolean writable) {
        for (long i = 0; i < count; i++) {
            p.pages.put(start + i * PAGE, new SoakModel.Page(writable, 0));
        }
    }

    // ---- actions ----

    private static Step<SoakModel, World> fork(Choices c, SoakModel m, Fault fault) {
        SoakModel.Proc parent = c.pick(m.idle());
        return Step.of("pid " + parent.pid + ": fork" + fault, (w, model) -> {
            Object r = w.refusable(parent.mainTid, fault, sys -> sys.fork(w.agents.main()));
            if (World.isRefusal(r)) {
                return;
            }
            int pid = (Integer) expectOk(r);
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
            exited(model, p);
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
                expectErrno(r, Errno.ESRCH);
            } else {
                expectOk(r);
                target.waiting = false;
                exited(model, target);
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
                WaitResult got = (WaitResult) expectOk(r);
                if (got.pid() != zombie) {
                    throw new AssertionError("waitpid reaped " + got.pid() + ", the model expected " + zombie);
                }
                reaped(model, p, zombie);
            } else if (noHang) {
                if (!WaitResult.NONE.equals(expectOk(r))) {
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
                p.threads.add((Integer) expectOk(r));
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

    private static Step<SoakModel, World> mmap(Choices c, SoakModel m, Pressure pressure) {
        SoakModel.Proc p = c.pick(m.idle());
        boolean bad = c.oneIn(6);
        boolean big = pressure.smallMachines() && !bad && c.oneIn(8); // a few MiB: runs small machines out of memory
        long length = bad ? 100 : big ? c.between(256, 1024) * PAGE : c.between(1, 4) * PAGE;
        String prot = PROTS[c.below(PROTS.length)];
        Fault fault = pressure.drawFault(c);
        return Step.of("pid " + p.pid + ": mmap(" + length + ", " + prot + ")" + fault, (w, model) -> {
            Object r = w.refusable(p.mainTid, fault, sys -> sys.mmap(0, length, prot));
            if (bad) {
                expectErrno(r, Errno.EINVAL);
                return;
            }
            if (World.isRefusal(r)) {
                return;
            }
            long at = (Long) expectOk(r);
            addPages(p, at, length / PAGE, prot.contains("w"));
        });
    }

    private static Step<SoakModel, World> munmap(Choices c, SoakModel m) {
        SoakModel.Proc p = c.pick(m.idle());
        long start = WINDOW + c.below(32) * PAGE;
        long length = c.between(1, 8) * PAGE;
        return Step.of("pid " + p.pid + String.format(": munmap(0x%x, %d)", start, length), (w, model) -> {
            boolean any = !p.pages.subMap(start, start + length).isEmpty();
            Object r = w.command(p.mainTid, sys -> {
                sys.munmap(start, length);
                return "ok";
            });
            if (any) {
                expectOk(r);
                p.pages.subMap(start, start + length).clear();
            } else {
                expectErrno(r, Errno.EINVAL);
            }
        });
    }

    private static Step<SoakModel, World> mprotect(Choices c, SoakModel m) {
        SoakModel.Proc p = c.pick(m.idle());
        long start = WINDOW + c.below(32) * PAGE;
        long length = c.between(1, 4) * PAGE;
        String prot = PROTS[c.below(PROTS.length)];
        return Step.of("pid " + p.pid + String.format(": mprotect(0x%x, %d, %s)", start, length, prot), (w, model) -> {
            boolean all = p.pages.subMap(start, start + length).size() == length / PAGE;
            Object r = w.command(p.mainTid, sys -> {
                sys.mprotect(start, length, prot);
                return "ok";
            });
            if (all) {
                expectOk(r);
                for (var e : p.pages.subMap(start, start + length).entrySet()) {
                    e.setValue(new SoakModel.Page(prot.contains("w"), e.getValue().value()));
                }
            } else {
                expectErrno(r, Errno.ENOMEM);
            }
        });
    }

    private static Step<SoakModel, World> store(Choices c, SoakModel m) {
        SoakModel.Proc p = c.pick(m.idle().stream().filter(x -> !x.pages.isEmpty()).toList());
        List<Long> writable = pagesWhere(p, SoakModel.Page::writable);
        long va = !writable.isEmpty() && !c.oneIn(4) ? c.pick(writable) : c.pick(List.copyOf(p.pages.keySet()));
        long value = c.between(1, Long.MAX_VALUE);
        return Step.of("pid " + p.pid + String.format(": store 0x%x", va), (w, model) -> {
            Object r = w.command(p.mainTid, sys -> {
                sys.store64(va, value);
                return "ok";
            });
            SoakModel.Page page = p.pages.get(va);
            if (page != null && page.writable()) {
                expectOk(r);
                p.pages.put(va, new SoakModel.Page(true, value));
            } else {
                expectErrno(r, Errno.EFAULT);
            }
        });
    }

    private static Step<SoakModel, World> load(Choices c, SoakModel m) {
        SoakModel.Proc p = c.pick(m.idle().stream().filter(x -> !x.pages.isEmpty()).toList());
        List<Long> written = pagesWhere(p, page -> page.value() != 0);
        long va = !written.isEmpty() && !c.oneIn(4) ? c.pick(written) : c.pick(List.copyOf(p.pages.keySet()));
        return Step.of("pid " + p.pid + String.format(": load 0x%x", va), (w, model) -> {
            Object r = w.command(p.mainTid, sys -> sys.load64(va));
            SoakModel.Page page = p.pages.get(va);
            long want = page == null ? -1 : page.value();
            if (!Long.valueOf(want).equals(expectOk(r))) {
                throw new AssertionError(String.format("load 0x%x gave %s, the model has %d", va, r, want),
                        r instanceof Exception cause ? cause : null);
            }
        });
    }

    private static Step<SoakModel, World> readProc(Choices c, SoakModel m) {
        SoakModel.Proc reader = c.pick(m.idle());
        int pid = c.pick(List.copyOf(m.procs.keySet()));
        return Step.of("pid " + reader.pid + ": read /proc/" + pid + "/status", (w, model) -> {
            Object r = w.command(reader.mainTid, sys -> sys.read("/proc/" + pid + "/status"));
            String status = (String) expectOk(r);
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

    private static List<Long> pagesWhere(SoakModel.Proc p, java.util.function.Predicate<SoakModel.Page> which) {
        List<Long> out = new java.util.ArrayList<>();
        for (var e : p.pages.entrySet()) {
            if (which.test(e.getValue())) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    // ---- model bookkeeping ----

    /** {@code p} exited: a zombie with no memory; its children go to init; a waiting parent reaps it at once. */
    private static void exited(SoakModel m, SoakModel.Proc p) {
        p.zombie = true;
        p.threads.clear();
        p.pages.clear(); // its memory goes at exit: a zombie keeps none
        SoakModel.Proc init = m.require(1);
        for (int child : p.children) {
            m.require(child).ppid = 1;
            init.children.add(child);
        }
        p.children.clear();
        SoakModel.Proc parent = m.procs.get(p.ppid);
        if (parent != null && parent.waiting) {
            parent.waiting = false;
            reaped(m, parent, p.pid);
        }
    }

    private static void reaped(SoakModel m, SoakModel.Proc parent, int child) {
        parent.children.remove(Integer.valueOf(child));
        m.procs.remove(child);
    }

    // ---- invariants ----

    private static @Nullable String tree(World w, SoakModel m) {
        if (!w.kernel.processes().pids().equals(List.copyOf(m.procs.keySet()))) {
            return "pids " + w.kernel.processes().pids() + ", the model has " + m.procs.keySet();
        }
        for (SoakModel.Proc p : m.procs.values()) {
            ProcessInfo info = w.kernel.processes().info(p.pid).orElseThrow();
            if (info.ppid() != p.ppid || (info.state() == ProcessState.ZOMBIE) != p.zombie) {
                return "pid " + p.pid + ": ppid " + info.ppid() + " " + info.state() + ", the model has ppid " + p.ppid
                        + (p.zombie ? " zombie" : " running");
            }
        }
        return null;
    }

    private static @Nullable String zombies(World w, SoakModel m) {
        for (SoakModel.Proc p : m.procs.values()) {
            if (!p.zombie) {
                continue;
            }
            ProcessInfo info = w.kernel.processes().info(p.pid).orElseThrow();
            if (info.vmSize() != 0 || !info.areas().isEmpty()) {
                return "zombie " + p.pid + " still maps " + info.vmSize() + " bytes in " + info.areas();
            }
            if (w.kernel.scheduler().state(p.mainTid).isPresent()) {
                return "zombie " + p.pid + "'s main thread " + p.mainTid + " is still a task";
            }
        }
        return null;
    }

    private static @Nullable String pages(World w, SoakModel m) {
        Set<Long> seen = new HashSet<>();
        for (SoakModel.Proc p : m.procs.values()) {
            for (long va : p.pages.keySet()) {
                var pa = w.kernel.processes().physicalAddress(p.pid, va);
                if (pa.isEmpty()) {
                    return String.format("pid %d: 0x%x is not mapped", p.pid, va);
                }
                if (!seen.add(pa.getAsLong())) {
                    return String.format("pid %d: 0x%x maps frame 0x%x, which another page maps too", p.pid, va, pa.getAsLong());
                }
                if (w.kernel.frames().info(PhysAddr.of(pa.getAsLong())).state() != FrameState.UNIQUE) {
                    return String.format("pid %d: 0x%x maps frame 0x%x, which is %s", p.pid, va, pa.getAsLong(),
                            w.kernel.frames().info(PhysAddr.of(pa.getAsLong())));
                }
            }
        }
        return null;
    }

    // ---- the end of a trial ----

    private static void reapEverything(World w, SoakModel m) {
        SoakModel.Proc init = m.require(1);
        for (SoakModel.Proc p : List.copyOf(m.procs.values())) {
            if (p.pid != 1 && !p.zombie) {
                w.command(init.mainTid, sys -> {
                    sys.kill(p.pid);
                    return "ok";
                });
                p.waiting = false;
                exited(m, p);
            }
        }
        Object reaped = w.command(init.mainTid, sys -> {
            while (true) {
                try {
                    sys.waitpid(-1);
                } catch (SyscallException e) {
                    if (e.errno() == Errno.ECHILD) {
                        break;
                    }
                    throw e;
                }
            }
            sys.exit(0);
            return "unreachable";
        });
        if (reaped instanceof Exception refused) {
            throw new AssertionError("init could not reap everything: " + refused.getMessage(), refused);
        }
        w.kernel.processes().reapInit();
        w.kernel.settle();
        ResourceReport after = w.kernel.report();
        if (!after.equals(w.baseline)) {
            throw new AssertionError("after reaping everything:\n" + after.compareTo(w.baseline));
        }
    }

    private static Object expectOk(@Nullable Object result) {
        if (result == null || result instanceof Exception) {
            throw new AssertionError("the syscall failed: " + result, result instanceof Exception cause ? cause : null);
        }
        return result;
    }

    private static void expectErrno(@Nullable Object result, Errno errno) {
        if (!(result instanceof SyscallException e) || e.errno() != errno) {
            throw new AssertionError("expected " + errno + ", got " + result, result instanceof Exception cause ? cause : null);
        }
    }
}
