package dev.deed.task;

import java.util.ArrayDeque;

/** Tasks waiting for something; woken in the order they came (FIFO). No timeouts: waits are sleep-free. */
public final class WaitQueue {
    private final String name;
    final ArrayDeque<Task> waiters = new ArrayDeque<>();

    WaitQueue(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public int waiting() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "wait queue '" + name + "' (" + waiters.size() + " waiting)";
    }
}
