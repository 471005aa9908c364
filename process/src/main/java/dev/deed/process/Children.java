package dev.deed.process;

import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The processes one parent owns, in the order it got them: a parent owns its children until it
 * reaps them (the kernel owns init the same way). The Resource Leak Checker cannot follow ownership
 * into a list, so this class is the one place that takes it on trust: {@link #adopt} takes it, and
 * {@link #disown} and {@link #disownAll} give it back to a caller the checker follows again.
 */
final class Children {
    @SuppressWarnings({"mustcall:type.argument", "mustcall:type.arguments.not.inferred"}) // an owning list (class comment)
    private final List<Process> owned = new ArrayList<>();

    @SuppressWarnings("required.method.not.called") // ownership moves into the list (see the class comment)
    void adopt(@Owning Process child) {
        owned.add(child);
    }

    /** Child {@code pid}, ownership and all; null if it is not a child. */
    @Nullable Process disown(int pid) {
        for (int i = 0; i < owned.size(); i++) {
            if (get(i).pid == pid) {
                return owned.remove(i);
            }
        }
        return null;
    }

    /** The oldest child, ownership and all (for handing every child on, one by one); null when none is left. */
    @Nullable Process disownFirst() {
        return owned.isEmpty() ? null : owned.remove(0);
    }

    /** Child number {@code i} (oldest first), as a view: the list keeps owning it. */
    @SuppressWarnings("required.method.not.called") // reading an element does not take it out of the owning list
    @NotOwning Process get(int i) {
        return owned.get(i);
    }

    int size() {
        return owned.size();
    }

    boolean isEmpty() {
        return owned.isEmpty();
    }

    /** The children's pids, oldest first. */
    List<Integer> pids() {
        List<Integer> pids = new ArrayList<>(owned.size());
        for (int i = 0; i < owned.size(); i++) {
            pids.add(get(i).pid);
        }
        return pids;
    }
}
