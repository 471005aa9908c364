package dev.deed.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deed.frame.AllocatorStats;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.FrameState;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.Segment;
import dev.deed.frame.Untracked;
import dev.deed.frame.Usage;
import dev.deed.frame.FaultSite;
import dev.deed.frame.Machine;
import dev.deed.frame.MemoryLayouts;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.spi.MemoryLayout;
import dev.deed.lifecycle.Choices;
import dev.deed.paging.PagingFormats;
import dev.deed.paging.spi.PagingFormat;
import dev.deed.lifecycle.LifecycleProperty;
import dev.deed.lifecycle.Step;
import dev.deed.paging.Cpus;
import dev.deed.paging.Access;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.Mapping;
import dev.deed.paging.MappingException;
import dev.deed.paging.Mmu;
import dev.deed.paging.PageFault;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.PendingFlush;
import dev.deed.paging.Privilege;
import dev.deed.paging.Tlb;
import dev.deed.paging.VirtAddr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A kernel page table against a model of what should be mapped, per format: random map (tracked
 * frames), map-untracked (superpage-friendly ranges), unmap, protect, flush, translate, destroy.
 * After every step: every modelled page is mapped as modelled and nothing else is; no TLB entry
 * reaches a freed frame; frames in use = frames mapped (or awaiting their flush) + table nodes.
 * Allocating steps may have an allocation fail (a drawn choice), and trials may run on a 16 MiB
 * machine where memory really runs out: a refused step must change nothing. At the end, destroyed
 * and flushed, the allocator is back at boot state. The lifecycle property every arch module gets for
 * free: subclass it with a format's name.
 */
public abstract class PagingLifecycleKit {
    private static final PageProperty[] RIGHTS = {PageProperty.parse("rw"), PageProperty.parse("r"), PageProperty.parse("rwx"),
            PageProperty.parse("rwug"), PageProperty.parse("rx")};
    private static final int WINDOW_PAGES = 4096; // 16 MiB

    private final String name;

    protected PagingLifecycleKit(String formatName) {
        this.name = formatName;
    }

    /** The format, machine and addresses of the property: from the arch's own memory layout. */
    record Arch(PagingFormat format, MemoryLayout layout, long ramSize) {
        static final long MIB = 1L << 20;

        static Arch of(String format) {
            PagingFormat f = PagingFormats.named(format);
            return new Arch(f, MemoryLayouts.forArch(f.arch()), 256 * MIB);
        }

        long kernelVa() {
            return layout.deviceArea();
        }

        /** Untracked ranges start at the first GiB boundary above RAM. */
        long mmioPa() {
            long gib = 1L << 30;
            return (layout.ramBase() + ramSize + gib - 1) & -gib;
        }

        PhysAddr mmio(long offset) {
            return PhysAddr.of(mmioPa() + offset);
        }

        long superPage() {
            return format.pageSize(1);
        }
    }

    /** One injected allocation failure for a step (the nth allocation, at a site or any), or none: drawn, so it shrinks away. */
    record Fault(long nth, @Nullable FaultSite site) {
        static Fault draw(Choices c, double rate) {
            if (c.draw(1000) < Math.round((1 - rate) * 1000)) {
                return new Fault(0, null);
            }
            List<@Nullable FaultSite> sites = new ArrayList<>();
            sites.add(null);
            sites.addAll(List.of(FaultSite.values()));
            return new Fault(c.between(1, 24), c.pick(sites));
        }

        void arm(dev.deed.frame.FaultPlan plan) {
            if (nth > 0) {
                plan.failNth(nth, site);
            }
        }

        @Override
        public String toString() {
            return nth == 0 ? "" : " [fail allocation " + nth + " at " + (site == null ? "any site" : site.cliName()) + "]";
        }
    }

    record Page(long pa, PageProperty props, boolean tracked) {
    }

    static final class Model {
        final long ram;
        final TreeMap<Long, Page> pages = new TreeMap<>();
        /**
         * Pages whose change is not flushed yet: a TLB may legitimately still translate them the old
         * way — and every page of a region whose last-level table an unmap emptied, which a
         * paging-structure cache may still walk through.
         */
        final Set<Long> stale = new HashSet<>();
        boolean destroyed;

        Model(long ram) {
            this.ram = ram;
        }
    }

    static final class World {
        final Arch arch;
        final FrameAllocator frames;
        final AllocatorStats boot;
        final PageTable<KernelSpace> table;
        final Mmu mmu;
        final List<PendingFlush> pending = new ArrayList<>();

        World(Arch arch, long ram) {
            this.arch = arch;
            this.frames = FrameAllocator.boot(Machine.of(arch.layout(), ram));
            this.boot = frames.stats();
            this.table = PageTable.kernel(arch.format(), frames);
            this.mmu = Cpus.of(frames, arch.format()).mmu(0);
            mmu.setControl(mmu.control().withSum(true));
        }

        long va(long page) {
            return arch.kernelVa() + page * 4096;
        }

        int pendingFrames() {
            return pending.stream().mapToInt(PendingFlush::framesToRelease).sum();
        }

        int pendingNodes() {
            return pending.stream().mapToInt(PendingFlush::nodesToRelease).sum();
        }

        /**
         * Runs {@code op} with {@code fault} armed; if it runs out of memory (injected, or real on a
         * small machine), checks that it changed nothing: the allocator (caches drained on both
         * sides), the mappings and the node count are as before. True if it was refused so.
         */
        boolean refusable(Fault fault, Runnable op) {
            frames.drainCpuCaches();
            AllocatorStats before = frames.stats();
            List<Mapping> mappings = table.mappings();
            int nodes = table.nodeCount();
            fault.arm(frames.faults());
            try {
                op.run();
                return false;
            } catch (OutOfFramesException refused) {
                frames.drainCpuCaches();
                expect(before.equals(frames.stats()), "a refused call changed the allocator: " + before + " -> " + frames.stats());
                expect(mappings.equals(table.mappings()), "a refused call changed the mappings");
                expect(nodes == table.nodeCount(), "a refused call changed the node count");
                return true;
            } finally {
                frames.faults().clear();
            }
        }
    }

    @Test
    void pageTableMatchesItsModel() {
        Arch arch = Arch.of(name);
        int superPages = (int) (arch.superPage() / 4096);
        LifecycleProperty.<Model, World>named("paging-" + name)
                .modelFrom(c -> new Model(c.pick(List.of(arch.ramSize(), 16 * Arch.MIB))))
                .system(m -> new World(arch, m.ram))
                .action("map", m -> !m.destroyed, (c, m) -> {
                    long page = c.below(WINDOW_PAGES);
                    PageProperty props = RIGHTS[c.below(RIGHTS.length)];
                    Fault fault = Fault.draw(c, 1.0 / 3);
                    return Step.of("map page " + page + " " + props + fault, (w, model) -> {
                        boolean taken = model.pages.containsKey(page);
                        try {
                            w.refusable(fault, () -> {
                                var frame = w.frames.alloc(Usage.USER);
                                try {
                                    w.table.map(VirtAddr.of(w.va(page)), frame, props);
                                } catch (RuntimeException refused) {
                                    expect(!frame.isClosed(), "a refused map took the frame");
                                    frame.close(); // a refused map leaves the reference with the caller
                                    throw refused;
                                }
                                model.pages.put(page, new Page(w.table.query(VirtAddr.of(w.va(page))).orElseThrow().pa(), props, true));
                                expect(!taken, "map over a mapped page succeeded");
                            });
                        } catch (MappingException e) {
                            expect(taken, "map refused: " + e.getMessage());
                        }
                    });
                })
                .action("map-fresh", m -> !m.destroyed, (c, m) -> {
                    long page = c.below(WINDOW_PAGES);
                    long count = c.between(1, 64);
                    Fault fault = Fault.draw(c, 1.0 / 3);
                    return Step.of("map-fresh pages " + page + "+" + count + fault, (w, model) -> {
                        long end = Math.min(page + count, WINDOW_PAGES);
                        boolean overlaps = !model.pages.subMap(page, end).isEmpty();
                        try {
                            w.refusable(fault, () -> {
                                w.table.mapFresh(VirtAddr.of(w.va(page)), (end - page) * 4096, PageProperty.kernelData(), Usage.USER, true);
                                expect(!overlaps, "map-fresh over mapped pages succeeded");
                                for (long p = page; p < end; p++) {
                                    long pa = w.table.query(VirtAddr.of(w.va(p))).orElseThrow().pa();
                                    model.pages.put(p, new Page(pa, PageProperty.kernelData(), true));
                                }
                            });
                        } catch (MappingException e) {
                            expect(overlaps, "map-fresh refused: " + e.getMessage());
                        }
                    });
                })
                .action("map-untracked", m -> !m.destroyed, (c, m) -> {
                    long page = c.oneIn(2) ? (long) c.below(WINDOW_PAGES / superPages) * superPages : c.below(WINDOW_PAGES);
                    long count = c.oneIn(2) ? superPages : c.between(1, 2 * superPages);
                    PageProperty props = RIGHTS[c.below(RIGHTS.length)];
                    Fault fault = Fault.draw(c, 1.0 / 3);
                    return Step.of("map-untracked pages " + page + "+" + count + " " + props + fault, (w, model) -> {
                        long end = Math.min(page + count, WINDOW_PAGES);
                        boolean overlaps = !model.pages.subMap(page, end).isEmpty();
                        try (Segment<Untracked> mmio = w.frames.untrackedRange(w.arch.mmio(page * 4096), (end - page) * 4096)) {
                            w.refusable(fault, () -> {
                                PageTable.mapUntracked(w.table, VirtAddr.of(w.va(page)), mmio, props);
                                expect(!overlaps, "map-untracked over mapped pages succeeded");
                                for (long p = page; p < end; p++) {
                                    model.pages.put(p, new Page(w.arch.mmioPa() + p * 4096, props, false));
                                }
                            });
                        } catch (MappingException e) {
                            expect(overlaps, "map-untracked refused: " + e.getMessage());
                        }
                    });
                })
                .action("unmap", m -> !m.destroyed, (c, m) -> {
                    long page = c.below(WINDOW_PAGES);
                    long count = c.between(1, 2 * superPages);
                    Fault fault = Fault.draw(c, 1.0 / 3);
                    return Step.of("unmap pages " + page + "+" + count + fault, (w, model) -> {
                        long end = Math.min(page + count, WINDOW_PAGES);
                        boolean any = !model.pages.subMap(page, end).isEmpty();
                        try {
                            w.refusable(fault, () -> { // a superpage cut by the range needs nodes for its split
                                w.pending.add(w.table.unmap(VirtAddr.of(w.va(page)), (end - page) * 4096));
                                expect(any, "unmap of nothing succeeded");
                                model.stale.addAll(model.pages.subMap(page, end).keySet());
                                model.pages.subMap(page, end).clear();
                                // a last-level table left empty is unlinked, and until the flush a CPU may
                                // still walk through it (its paging-structure cache): its whole region is stale
                                for (long r = page / superPages; r <= (end - 1) / superPages; r++) {
                                    if (model.pages.subMap(r * superPages, (r + 1) * superPages).isEmpty()) {
                                        for (long p = r * superPages; p < (r + 1) * superPages; p++) {
                                            model.stale.add(p);
                                        }
                                    }
                                }
                            });
                        } catch (MappingException e) {
                            expect(!any, "unmap refused: " + e.getMessage());
                        }
                    });
                })
                .action("protect", m -> !m.destroyed && !m.pages.isEmpty(), (c, m) -> {
                    long page = c.pick(new ArrayList<>(m.pages.keySet()));
                    long count = c.between(1, superPages);
                    PageProperty props = RIGHTS[c.below(RIGHTS.length)];
                    Fault fault = Fault.draw(c, 1.0 / 3);
                    return Step.of("protect pages " + page + "+" + count + " " + props + fault, (w, model) -> {
                        long end = Math.min(page + count, WINDOW_PAGES);
                        w.refusable(fault, () -> {
                            w.pending.add(w.table.protect(VirtAddr.of(w.va(page)), (end - page) * 4096, props));
                            for (var e : model.pages.subMap(page, end).entrySet()) {
                                e.setValue(new Page(e.getValue().pa(), props, e.getValue().tracked()));
                                model.stale.add(e.getKey());
                            }
                        });
                    });
                })
                .action("flush", m -> !m.stale.isEmpty() || m.destroyed, (c, m) -> Step.of("flush", (w, model) -> {
                    w.pending.forEach(p -> p.flush());
                    w.pending.clear();
                    model.stale.clear();
                }))
                .action("translate", m -> !m.destroyed, (c, m) -> {
                    long page = c.oneIn(2) && !m.pages.isEmpty() ? c.pick(new ArrayList<>(m.pages.keySet())) : c.below(WINDOW_PAGES);
                    return Step.of("translate page " + page, (w, model) -> {
                        if (model.stale.contains(page)) {
                            return;
                        }
                        Page p = model.pages.get(page);
                        long va = w.va(page) + 0x10;
                        if (p == null) {
                            try {
                                w.mmu.translate(w.table.rootRegister(), VirtAddr.of(va), Access.READ, Privilege.SUPERVISOR);
                                throw new AssertionError("page " + page + " translates but is not mapped");
                            } catch (PageFault expected) {
                                return;
                            }
                        }
                        Access access = p.props().read() ? Access.READ : Access.EXECUTE;
                        assertEquals(p.pa() + 0x10, w.mmu.translate(w.table.rootRegister(), VirtAddr.of(va), access,
                                Privilege.SUPERVISOR));
                    });
                })
                .action("destroy", m -> !m.destroyed, (c, m) -> Step.of("destroy", (w, model) -> {
                    w.pending.add(w.table.destroy());
                    model.stale.addAll(model.pages.keySet());
                    model.pages.clear();
                    model.destroyed = true;
                }))
                .invariant("mapped exactly as modelled", (w, m) -> m.destroyed ? null : compare(w, m))
                .invariant("no TLB entry reaches a freed frame", (w, m) -> {
                    for (long page = 0; page < WINDOW_PAGES; page++) {
                        Tlb.Entry e = w.mmu.tlb().lookup(w.va(page), 0);
                        if (e != null && w.frames.machine().inRam(e.paBase())
                                && w.frames.info(dev.deed.frame.PhysAddr.of(e.paBase())).state() == FrameState.UNUSED) {
                            return "the TLB translates page " + page + " to freed frame 0x" + Long.toHexString(e.paBase());
                        }
                    }
                    return null;
                })
                .invariant("frames in use = mapped + awaiting flush + nodes", (w, m) -> {
                    long tracked = m.pages.values().stream().filter(Page::tracked).count();
                    long user = w.frames.stats().used(Usage.USER);
                    long nodes = w.frames.stats().used(Usage.PAGE_TABLE);
                    long expectedNodes = (m.destroyed ? 0 : w.table.nodeCount()) + w.pendingNodes();
                    return user == tracked + w.pendingFrames() && nodes == expectedNodes ? null
                            : "USER frames " + user + " (model " + tracked + " + pending " + w.pendingFrames() + "), PAGE_TABLE frames "
                                    + nodes + " (expected " + expectedNodes + ")";
                })
                .finish((w, model) -> {
                    if (!model.destroyed) {
                        w.pending.add(w.table.destroy());
                    }
                    w.pending.forEach(p -> p.flush());
                    w.frames.drainCpuCaches();
                    assertEquals(w.boot, w.frames.stats(), "destroyed and flushed: everything is back");
                })
                .build()
                .checkFor(getClass()); // replay through the arch module's own test class
    }

    private static @Nullable String compare(World w, Model m) {
        long pages = 0;
        for (Mapping mapping : w.table.mappings()) {
            pages += mapping.size() / 4096;
        }
        if (pages != m.pages.size()) {
            return "the table maps " + pages + " pages, the model " + m.pages.size();
        }
        for (var e : m.pages.entrySet()) {
            Mapping got = w.table.query(VirtAddr.of(w.va(e.getKey()))).orElse(null);
            Page want = e.getValue();
            if (got == null) {
                return "page " + e.getKey() + " is not mapped";
            }
            long pa = got.pa() + (w.va(e.getKey()) - got.va().value());
            if (pa != want.pa() || got.tracked() != want.tracked()
                    || !got.props().rights().letters().replace("x", "").equals(want.props().rights().letters().replace("x", ""))) {
                return "page " + e.getKey() + " maps " + Long.toHexString(pa) + " " + got.props() + (got.tracked() ? " tracked" : "")
                        + ", model " + Long.toHexString(want.pa()) + " " + want.props() + (want.tracked() ? " tracked" : "");
            }
        }
        return null;
    }

    private static void expect(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }
}
