package dev.deed.lifecycle;

import java.util.ArrayList;
import java.util.List;

/**
 * The descriptions of the steps a trial has started. Synchronized (uncontended in practice) so a
 * watchdog can read the log of a trial that hangs.
 */
final class StepLog {
    private final List<String> entries = new ArrayList<>();

    synchronized void add(String description) {
        entries.add(description);
    }

    synchronized List<String> snapshot() {
        return List.copyOf(entries);
    }
}
