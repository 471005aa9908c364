package dev.deed.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.Usage;
import dev.deed.lifecycle.LifecycleProperty;
import dev.deed.lifecycle.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The kernel heap against a model, on both pointer widths: random kmalloc across every size class
 * and main sizes, frees, writes, ownership links, refused frees of containers, bogus and double raw
 * frees. After every step: live blocks never overlap, every free block holds intact poison
 * (verify), accounting matches the model, frames the heap took = frames it holds, contents read back.
 */
class HeapLifecycleTest {
    private static final long[] SIZES = {1, 8, 16, 24, 32, 48, 64, 100, 128, 200, 256, 500, 512, 1000, 1024, 1500, 2048,
            2049, 4096, 5000, 12_000, 70_000};

    static final class Live {
        final int id;
        final long address;
        final int size;
        final long requested;
        @Nullable Live parent;
        final List<Live> children = new ArrayList<>();
        final Map<Long, Long> written = new LinkedHashMap<>();

        Live(int id, long address, int size, long requested) {
            this.id = id;
            this.address = address;
            this.size = size;
            this.requested = requested;
        }

        @Override
        public String toString() {
            return "#" + id;
        }
    }

    static final class Model {
        final List<Live> live = new ArrayList<>();
        final List<Long> freedAddresses = new ArrayList<>();
        int nextId;

        List<Live> childless() {
            return live.stream().filter(l -> l.children.isEmpty()).toList();
        }

        List<Live> parents() {
            return live.stream().filter(l -> !l.children.isEmpty()).toList();
        }

        List<Live> orphans() {
            return live.stream().filter(l -> l.parent == null).toList();
        }
    }

    static final class World {
        final FrameAllocator frames;
        final KernelHeap heap;
        final Map<Integer, Block> blocks = new HashMap<>();

        World(String arch) {
            frames = FrameAllocator.boot(TestMachines.machine(arch, 64L << 20));
            heap = KernelHeap.create(frames, TestMachines.config(arch));
        }
    }

    @Test
    void riscv64HeapKeepsEveryInvariant() {
        property("riscv64").check();
    }

    @Test
    void i386HeapKeepsEveryInvariant() {
        property("i386").check();
    }

    private static LifecycleProperty<Model, World> property(String arch) {
        return LifecycleProperty.<Model, World>named("heap-" + arch)
                .model(Model::new)
                .system(m -> new World(arch))
                .action("kmalloc", (c, m) -> {
                    long size = SIZES[c.below(SIZES.length)];
                    boolean zeroed = c.oneIn(3);
                    return Step.of((zeroed ? "kzalloc " : "kmalloc ") + size, (w, model) -> {
                        Block b = zeroed ? w.heap.kzalloc(size) : w.heap.kmalloc(size);
                        Live l = new Live(model.nextId++, b.address(), b.size(), size);
                        b.label("#" + l.id);
                        w.blocks.put(l.id, b);
                        model.live.add(l);
                        model.freedAddresses.remove(Long.valueOf(l.address));
                        if (zeroed) {
                            assertEquals(0, b.readU64(b.size() - 8), "kzalloc zeroes");
                        }
                    });
                })
                .action("free", m -> !m.childless().isEmpty(), (c, m) -> {
                    Live l = c.pick(m.childless());
                    return Step.of("free " + l, (w, model) -> {
                        Block b = w.blocks.remove(l.id);
                        if (l.parent != null) {
                            l.parent.children.remove(l);
                        }
                        if (b == null) {
                            throw new IllegalStateException("no block " + l);
                        }
                        b.close();
                        model.live.remove(l);
                        model.freedAddresses.add(l.address);
                    });
                })
                .action("write", m -> m.live.stream().anyMatch(l -> l.requested >= 8), (c, m) -> {
                    Live l = c.pick(m.live.stream().filter(x -> x.requested >= 8).toList());
                    long offset = c.below((int) (l.requested / 8)) * 8L;
                    long value = c.between(1, Long.MAX_VALUE);
                    return Step.of("write " + l + "+" + offset, (w, model) -> {
                        block(w, l).writeU64(offset, value);
                        l.written.put(offset, value);
                    });
                })
                .action("own", m -> m.orphans().size() >= 2, (c, m) -> {
                    Live parent = c.pick(m.live);
                    List<Live> candidates = m.orphans().stream().filter(o -> o != parent && !isAncestor(o, parent)).toList();
                    Live child = candidates.isEmpty() ? parent : c.pick(candidates);
                    return Step.of(parent + " owns " + child, (w, model) -> {
                        if (child == parent) {
                            return;
                        }
                        block(w, parent).own(block(w, child));
                        parent.children.add(child);
                        child.parent = parent;
                    });
                })
                .action("free parent", m -> !m.parents().isEmpty(), (c, m) -> {
                    Live l = c.pick(m.parents());
                    return Step.of("free " + l + " (still owns " + l.children + ")", (w, model) -> {
                        HeapStats before = w.heap.stats();
                        expect(LiveChildrenException.class, () -> block(w, l).close());
                        assertEquals(before, w.heap.stats(), "a refused free changes nothing");
                    });
                })
                .action("bogus free", (c, m) -> {
                    long offset = c.between(1, 15);
                    boolean foreign = c.oneIn(2);
                    return Step.of(foreign ? "kfree(0x1000)" : "kfree(inside a block, +" + offset + ")", (w, model) -> {
                        long address = foreign || model.live.isEmpty() ? 0x1000 : model.live.get(0).address + offset;
                        rawFreeRefused(w, address);
                    });
                })
                .action("double free", m -> !m.freedAddresses.isEmpty(), (c, m) -> {
                    long address = c.pick(m.freedAddresses);
                    return Step.of("kfree(0x" + Long.toHexString(address) + ") again", (w, model) -> {
                        if (model.live.stream().noneMatch(l -> l.address == address)) {
                            rawFreeRefused(w, address);
                        }
                    });
                })
                .invariant("heap structure and poison intact", (w, m) -> w.heap.verify())
                .invariant("live blocks never overlap", (w, m) -> {
                    List<Live> sorted = new ArrayList<>(m.live);
                    sorted.sort((a, b) -> Long.compare(a.address, b.address));
                    for (int i = 1; i < sorted.size(); i++) {
                        Live a = sorted.get(i - 1);
                        if (a.address + a.size > sorted.get(i).address) {
                            return a + " and " + sorted.get(i) + " overlap";
                        }
                    }
                    return null;
                })
                .invariant("accounting matches the model", (w, m) -> {
                    HeapStats s = w.heap.stats();
                    long requested = m.live.stream().mapToLong(l -> l.requested).sum();
                    return s.liveBlocks() == m.live.size() && s.requestedBytes() == requested ? null
                            : "heap " + s.liveBlocks() + " blocks / " + s.requestedBytes() + " bytes, model " + m.live.size()
                                    + " / " + requested;
                })
                .invariant("frames taken = frames held", (w, m) ->
                        w.frames.stats().used(Usage.HEAP) == w.heap.stats().framesHeld() ? null
                                : "allocator lends " + w.frames.stats().used(Usage.HEAP) + " heap frames, heap holds "
                                        + w.heap.stats().framesHeld())
                .invariant("contents read back", (w, m) -> {
                    for (Live l : m.live) {
                        for (Map.Entry<Long, Long> e : l.written.entrySet()) {
                            long got = block(w, l).readU64(e.getKey());
                            if (got != e.getValue()) {
                                return l + "+" + e.getKey() + " reads 0x" + Long.toHexString(got) + ", wrote 0x"
                                        + Long.toHexString(e.getValue());
                            }
                        }
                    }
                    return null;
                })
                .finish((w, model) -> {
                    while (!model.live.isEmpty()) {
                        Live l = model.childless().get(0);
                        Block b = block(w, l);
                        b.close();
                        w.blocks.remove(l.id);
                        if (l.parent != null) {
                            l.parent.children.remove(l);
                        }
                        model.live.remove(l);
                    }
                    w.heap.shrink();
                    assertEquals(0, w.frames.stats().used(Usage.HEAP), "everything freed and shrunk: every frame is back");
                })
                .build();
    }

    private static boolean isAncestor(Live candidate, Live of) {
        for (Live p = of; p != null; p = p.parent) {
            if (p == candidate) {
                return true;
            }
        }
        return false;
    }

    private static Block block(World w, Live l) {
        Block b = w.blocks.get(l.id);
        if (b == null) {
            throw new IllegalStateException("no block for " + l);
        }
        return b;
    }

    private static void rawFreeRefused(World w, long address) {
        HeapStats before = w.heap.stats();
        expect(BadHeapFreeException.class, () -> w.heap.freeRaw(address));
        assertEquals(before, w.heap.stats(), "a bad free changes nothing");
    }

    interface Call {
        void run();
    }

    private static void expect(Class<? extends RuntimeException> type, Call call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            if (type.isInstance(e)) {
                return;
            }
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + e, e);
        }
        throw new AssertionError("expected " + type.getSimpleName() + ", nothing was thrown");
    }
}
