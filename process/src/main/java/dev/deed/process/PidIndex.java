package dev.deed.process;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.TreeMap;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * pid → process, weakly: an index, never an owner (B4, as Asterinas indexes processes). Owners are
 * parents ({@link Children}); a process is named here from creation until it is reaped.
 */
final class PidIndex {
    @SuppressWarnings("mustcall:type.argument") // weak references own nothing; the checker's bound on T assumes they might
    private final TreeMap<Integer, WeakReference<Process>> byPid = new TreeMap<>();

    @SuppressWarnings({"mustcall:type.argument", "mustcall:type.arguments.not.inferred"}) // as on the field
    void add(Process p) {
        byPid.put(p.pid, new WeakReference<>(p));
    }

    /** Process {@code pid} as a view (its owner keeps it), or null. */
    @SuppressWarnings({"required.method.not.called", "mustcall:type.argument"}) // the referent is its parent's, not this lookup's
    @NotOwning @Nullable Process get(int pid) {
        WeakReference<Process> ref = byPid.get(pid);
        return ref == null ? null : ref.get();
    }

    boolean contains(int pid) {
        return byPid.containsKey(pid);
    }

    void remove(int pid) {
        byPid.remove(pid);
    }

    /** Indexed pids, ascending. */
    List<Integer> pids() {
        return List.copyOf(byPid.keySet());
    }

    int size() {
        return byPid.size();
    }
}
