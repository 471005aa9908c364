package dev.deed.kernel.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** What the flagship property expects: the process tree, each process's pages and their contents. */
public final class SoakModel {
    /** A user page: whether it may be written, and the 8 bytes last stored at its start. */
    record Page(boolean writable, long value) {
    }

    static final class Proc {
        final int pid;
        int ppid;
        boolean zombie;
        boolean waiting;
        int mainTid;
        final List<Integer> threads = new ArrayList<>();
        final List<Integer> children = new ArrayList<>();
        final TreeMap<Long, Page> pages = new TreeMap<>();

        Proc(int pid, int ppid) {
            this.pid = pid;
            this.ppid = ppid;
        }

        boolean idle() {
            return !zombie && !waiting;
        }

        @Override
        public String toString() {
            return "pid " + pid;
        }
    }

    final TreeMap<Integer, Proc> procs = new TreeMap<>();
    /** Bytes of RAM of the trial's machine. */
    final long memory;
    /** Where the trial's world counts refusals (shared by the trials of one run). */
    final Refusals refusals;
    int programs;

    SoakModel(long memory, Refusals refusals) {
        this.memory = memory;
        this.refusals = refusals;
    }

    List<Proc> idle() {
        return procs.values().stream().filter(Proc::idle).toList();
    }

    List<Proc> idleWithChildren() {
        return idle().stream().filter(p -> !p.children.isEmpty()).toList();
    }

    /** Process {@code pid}, which the model must have. */
    Proc require(int pid) {
        Proc p = procs.get(pid);
        if (p == null) {
            throw new IllegalStateException("the model has no process " + pid);
        }
        return p;
    }

    long totalPages() {
        return procs.values().stream().mapToLong(p -> p.pages.size()).sum();
    }
}
