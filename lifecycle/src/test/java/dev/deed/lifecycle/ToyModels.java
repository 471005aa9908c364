package dev.deed.lifecycle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;

/** Small systems with planted bugs, and the properties that must find them. */
final class ToyModels {
    private ToyModels() {
    }

    /** Hands out the lowest unused id; the planted bug: free() puts the id back twice. */
    static final class DoubleIssuingAllocator {
        private final Deque<Integer> free = new ArrayDeque<>();
        private int next;
        private final boolean buggy;

        DoubleIssuingAllocator(boolean buggy) {
            this.buggy = buggy;
        }

        int alloc() {
            return free.isEmpty() ? next++ : free.pop();
        }

        void free(int id) {
            free.push(id);
            if (buggy) {
                free.push(id);
            }
        }
    }

    static final class Live {
        final List<Integer> ids = new ArrayList<>();
    }

    static LifecycleProperty<Live, DoubleIssuingAllocator> allocator(boolean buggy) {
        return LifecycleProperty.<Live, DoubleIssuingAllocator>named(buggy ? "toy-allocator-buggy" : "toy-allocator")
                .model(Live::new)
                .system(m -> new DoubleIssuingAllocator(buggy))
                .action("alloc", (c, m) -> Step.of("alloc", (a, model) -> model.ids.add(a.alloc())))
                .action("free", m -> !m.ids.isEmpty(), (c, m) -> {
                    int id = c.pick(m.ids);
                    return Step.of("free " + id, (a, model) -> {
                        a.free(id);
                        model.ids.remove(Integer.valueOf(id));
                    });
                })
                .invariant("ids unique", (a, m) ->
                        new HashSet<>(m.ids).size() == m.ids.size() ? null : "live ids " + m.ids + " contain a duplicate")
                .build();
    }

    /** Counts open handles; the planted bug: closing while exactly two are open forgets to count down. */
    static final class LeakyCounter {
        private int open;
        private int nextHandle;

        int open() {
            open++;
            return nextHandle++;
        }

        void close(int handle) {
            if (open != 2) {
                open--;
            }
        }

        int openCount() {
            return open;
        }
    }

    static LifecycleProperty<Live, LeakyCounter> counter() {
        return LifecycleProperty.<Live, LeakyCounter>named("toy-counter")
                .model(Live::new)
                .system(m -> new LeakyCounter())
                .action("open", (c, m) -> Step.of("open", (s, model) -> model.ids.add(s.open())))
                .action("close", m -> !m.ids.isEmpty(), (c, m) -> {
                    int h = c.pick(m.ids);
                    return Step.of("close " + h, (s, model) -> {
                        s.close(h);
                        model.ids.remove(Integer.valueOf(h));
                    });
                })
                .invariant("open count matches", (s, m) -> s.openCount() == m.ids.size() ? null
                        : "counter says " + s.openCount() + " open, model has " + m.ids.size())
                .build();
    }
}
