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

    /** The live relatives of {@code p} (its parent and children): those that may share its pages copy-on-write. */
    List<Proc> liveRelatives(Proc p) {
        List<Proc> out = new ArrayList<>();
        Proc parent = procs.get(p.ppid);
        if (parent != null && !parent.zombie) {
            out.add(parent);
        }
        for (int child : p.children) {
            Proc c = require(child);
            if (!c.zombie) {
                out.add(c);
            }
        }
        return out;
    }

    /** {@code p} ended: a zombie with no memory; its children go to init; a waiting parent reaps it at once. */
    void exited(Proc p) {
        p.zombie = true;
        p.threads.clear();
        p.pages.clear(); // its memory goes at exit: a zombie keeps none
        Proc init = require(1);
        for (int child : p.children) {
            require(child).ppid = 1;
            init.children.add(child);
        }
        p.children.clear();
        Proc parent = procs.get(p.ppid);
        if (parent != null && parent.waiting) {
            parent.waiting = false;
            reaped(parent, p.pid);
        }
    }

    /** {@code parent} reaped its zombie {@code child}. */
    void reaped(Proc parent, int child) {
        parent.children.remove(Integer.valueOf(child));
        procs.remove(child);
    }
}
