package dev.deed.kernel.soak;

import dev.deed.kernel.boot.ResourceReport;
import dev.deed.process.ProcessInfo;
import dev.deed.process.ProcessState;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The flagship's invariants, checked after every step, and the end of a trial: everything reaped, every count at boot's. */
final class FlagshipChecks {
    private FlagshipChecks() {
    }

    static @Nullable String tree(World w, SoakModel m) {
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

    /** Each live process maps exactly the model's pages (resident or not) and has no more in memory than that. */
    static @Nullable String areas(World w, SoakModel m) {
        for (SoakModel.Proc p : m.procs.values()) {
            if (p.zombie) {
                continue;
            }
            ProcessInfo info = w.kernel.processes().info(p.pid).orElseThrow();
            long pages = info.areas().stream().mapToLong(a -> a.size() / MemoryActions.PAGE).sum();
            if (pages != p.pages.size() || info.rss() > info.vmSize()) {
                return "pid " + p.pid + " maps " + pages + " pages (" + info.rss() / MemoryActions.PAGE + " resident), the model has "
                        + p.pages.size();
            }
        }
        return null;
    }

    /** Reference counts equal mappings, every user frame is mapped, a shared frame is read-only everywhere. */
    static @Nullable String references(World w, SoakModel m) {
        return w.kernel.processes().verifyUserFrames(w.kernel.frames());
    }

    static @Nullable String zombies(World w, SoakModel m) {
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

    static @Nullable String procfsLists(World w, SoakModel m) {
        List<Integer> listed = w.kernel.procfs().list("/proc", 1).stream()
                .filter(e -> e.chars().allMatch(Character::isDigit)).map(Integer::valueOf).toList();
        return listed.equals(w.kernel.processes().pids()) ? null : "/proc lists " + listed;
    }

    static @Nullable String schedulerAndHeap(World w, SoakModel m) {
        String s = w.kernel.scheduler().verify();
        return s != null ? s : w.kernel.heap().verify();
    }

    /** Kills what still runs, lets init reap everything and exit, and requires every count back at boot's. */
    static void reapEverything(World w, SoakModel m) {
        SoakModel.Proc init = m.require(1);
        for (SoakModel.Proc p : List.copyOf(m.procs.values())) {
            if (p.pid != 1 && !p.zombie) {
                w.command(init.mainTid, sys -> {
                    sys.kill(p.pid);
                    return "ok";
                });
                p.waiting = false;
                m.exited(p);
            }
        }
        Object reaped = w.command(init.mainTid, Session::reapAllAndExit);
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
}
