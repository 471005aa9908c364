package dev.deed.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deed.lifecycle.LifecycleProperty;
import dev.deed.lifecycle.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The frame allocator against a model: random allocations (single and contiguous, random sizes and
 * alignments), shares, closes, double closes, and forged frees of free, foreign and reserved frames,
 * with every invariant checked after every step.
 */
class FrameLifecycleTest {
    private static final long[] ALIGNMENTS = {4096, 64 << 10, 2 << 20};
    private static final Usage[] USAGES = Usage.values();

    /** One live handle in the model; handles in the same group share references to the same frames. */
    record Held(int id, long start, long frames, int group) {
        boolean overlaps(Held o) {
            return start < o.start + o.frames && o.start < start + frames;
        }
    }

    static final class Model {
        final List<Held> live = new ArrayList<>();
        int nextId;
        int nextGroup;
        int closed;

        long usedFrames() {
            Map<Integer, Long> byGroup = new HashMap<>();
            live.forEach(h -> byGroup.put(h.group, h.frames));
            return byGroup.values().stream().mapToLong(Long::longValue).sum();
        }

        long references(int group) {
            return live.stream().filter(h -> h.group == group).count();
        }
    }

    /** The allocator and the real handles, indexed by the model's handle ids. */
    static final class World {
        final FrameAllocator frames = FrameAllocator.boot(TestMachines.riscv64(16L << 20));
        final AllocatorStats boot = frames.stats();
        final Map<Integer, AutoCloseable> handles = new HashMap<>();
        final List<AutoCloseable> closed = new ArrayList<>();

        void close(int id) throws Exception {
            AutoCloseable h = handles.remove(id);
            if (h == null) {
                throw new IllegalStateException("no handle " + id);
            }
            h.close();
            closed.add(h);
        }
    }

    @Test
    void frameAllocatorKeepsEveryInvariant() {
        LifecycleProperty.<Model, World>named("frame-allocator")
                .model(Model::new)
                .system(m -> new World())
                .action("alloc", (c, m) -> {
                    Usage usage = USAGES[c.below(USAGES.length)];
                    return Step.of("alloc " + usage, (w, model) -> {
                        Frame<Tracked> f = w.frames.alloc(usage);
                        Held h = new Held(model.nextId++, f.addr().pfn(), 1, model.nextGroup++);
                        w.handles.put(h.id, f);
                        model.live.add(h);
                    });
                })
                .action("alloc-contiguous", (c, m) -> {
                    long count = c.oneIn(4) ? c.between(1, 700) : c.between(1, 16);
                    long alignment = ALIGNMENTS[c.below(ALIGNMENTS.length)];
                    boolean zeroed = c.oneIn(2);
                    return Step.of("alloc-contiguous " + count + " frames, align " + alignment + (zeroed ? ", zeroed" : ""),
                            (w, model) -> allocContiguous(w, model, count, alignment, zeroed));
                })
                .action("share", m -> !m.live.isEmpty(), (c, m) -> {
                    Held h = c.pick(m.live);
                    return Step.of("share #" + h.id, (w, model) -> {
                        AutoCloseable copy = switch (w.handles.get(h.id)) {
                            case Frame<?> f -> f.share();
                            case Segment<?> s -> s.share();
                            case null, default -> throw new IllegalStateException("no handle #" + h.id);
                        };
                        Held shared = new Held(model.nextId++, h.start, h.frames, h.group);
                        w.handles.put(shared.id, copy);
                        model.live.add(shared);
                    });
                })
                .action("close", m -> !m.live.isEmpty(), (c, m) -> {
                    Held h = c.pick(m.live);
                    return Step.of("close #" + h.id, (w, model) -> {
                        w.close(h.id);
                        model.live.remove(h);
                    });
                })
                .action("double close", m -> !m.live.isEmpty() || m.closed > 0, (c, m) -> Step.of("double close",
                        (w, model) -> {
                            if (w.closed.isEmpty()) {
                                return;
                            }
                            AllocatorStats before = w.frames.stats();
                            expect(RevokedHandleException.class, () -> w.closed.get(0).close());
                            assertEquals(before, w.frames.stats());
                        }))
                .action("bogus free", (c, m) -> {
                    long offset = c.below(4096);
                    return Step.of("forged free at frame +" + offset, (w, model) -> {
                        long pfn = w.frames.machine().ramBase().pfn() + offset;
                        boolean held = model.live.stream().anyMatch(h -> pfn >= h.start && pfn < h.start + h.frames);
                        if (!held) { // a frame nobody holds: free (unused) or reserved
                            forgedFree(w, PhysAddr.ofPfn(pfn));
                        }
                    });
                })
                .action("foreign free", (c, m) -> {
                    long pfn = c.between(0, 0x7FFFF);
                    return Step.of("forged free of " + PhysAddr.ofPfn(pfn) + " (outside RAM)",
                            (w, model) -> forgedFree(w, PhysAddr.ofPfn(pfn)));
                })
                .action("free of reserved", (c, m) -> {
                    long offset = c.below(1024);
                    return Step.of("forged free of reserved frame +" + offset, (w, model) ->
                            forgedFree(w, PhysAddr.ofPfn(w.frames.machine().ramBase().pfn() + offset)));
                })
                .invariant("free + used + reserved = total", (w, m) -> {
                    AllocatorStats s = w.frames.stats();
                    return s.free() + s.used() + s.reserved() == s.total() ? null : s.toString();
                })
                .invariant("used frames match the model", (w, m) ->
                        w.frames.stats().used() == m.usedFrames() ? null
                                : "allocator " + w.frames.stats().used() + ", model " + m.usedFrames())
                .invariant("reference counts match the model", (w, m) -> {
                    for (Held h : m.live) {
                        int refs = w.frames.info(PhysAddr.ofPfn(h.start)).references();
                        if (refs != m.references(h.group)) {
                            return "#" + h.id + " at " + PhysAddr.ofPfn(h.start) + " has " + refs + " references, model "
                                    + m.references(h.group);
                        }
                    }
                    return null;
                })
                .invariant("live handles overlap only when shared", (w, m) -> overlap(m.live))
                .invariant("buddy structure consistent", (w, m) -> w.frames.verify())
                .finish((w, model) -> {
                    for (Held h : List.copyOf(model.live)) {
                        w.close(h.id);
                        model.live.remove(h);
                    }
                    w.frames.drainCpuCaches();
                    assertEquals(w.boot, w.frames.stats(), "everything closed: the allocator is back at boot state");
                })
                .build()
                .check();
    }

    private static void allocContiguous(World w, Model model, long count, long alignment, boolean zeroed) {
        AllocatorStats before = w.frames.stats();
        Segment<Tracked> s;
        try {
            s = w.frames.allocContiguous(Usage.KERNEL, count, alignment, zeroed);
        } catch (OutOfFramesException e) {
            int order = Math.max(64 - Long.numberOfLeadingZeros(count - 1), Long.numberOfTrailingZeros(alignment) - 12);
            List<Integer> blocks = w.frames.stats().freeBlocks();
            for (int k = order; k < blocks.size(); k++) {
                if (blocks.get(k) > 0) {
                    throw new AssertionError("out of memory reported with a free block of order " + k + " available", e);
                }
            }
            assertEquals(before.free(), w.frames.stats().free(), "a failed allocation changes no count");
            return;
        }
        if (!s.addr().isAligned(alignment)) {
            throw new AssertionError(s + " is not aligned to " + alignment);
        }
        Held h = new Held(model.nextId++, s.addr().pfn(), count, model.nextGroup++);
        w.handles.put(h.id, s);
        model.live.add(h);
    }

    private static void forgedFree(World w, PhysAddr addr) {
        AllocatorStats before = w.frames.stats();
        expect(FrameStateException.class, () -> Frame.fromUnused(w.frames, addr).close());
        assertEquals(before, w.frames.stats(), "a refused mint changes nothing");
        expect(BadFreeException.class, () -> w.frames.raw().dropRaw(addr));
        assertEquals(before, w.frames.stats(), "a refused free changes nothing");
    }

    private static @Nullable String overlap(List<Held> live) {
        for (int i = 0; i < live.size(); i++) {
            for (int j = i + 1; j < live.size(); j++) {
                Held a = live.get(i);
                Held b = live.get(j);
                if (a.group != b.group && a.overlaps(b)) {
                    return "#" + a.id + " and #" + b.id + " overlap at " + PhysAddr.ofPfn(Math.max(a.start, b.start));
                }
            }
        }
        return null;
    }

    interface Call {
        void run() throws Exception;
    }

    private static void expect(Class<? extends Exception> type, Call call) {
        try {
            call.run();
        } catch (Exception e) {
            if (type.isInstance(e)) {
                return;
            }
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + e, e);
        }
        throw new AssertionError("expected " + type.getSimpleName() + ", nothing was thrown");
    }
}
