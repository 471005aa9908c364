package dev.deed.kernel.soak;

import dev.deed.lifecycle.Choices;
import dev.deed.lifecycle.Step;
import dev.deed.process.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The flagship's memory actions: mmap (demand-zero or populated), munmap, mprotect, loads and stores
 * that fault pages in, break copy-on-write shares or end the process with SIGSEGV, and the two aimed
 * at shares: a write after fork and a munmap of pages a relative still maps. Loads and stores may
 * have an allocation fail (their page fault needs a frame): the process then ends with SIGKILL.
 */
final class MemoryActions {
    static final long PAGE = 4096;
    /** mmap's base: where munmap and mprotect aim. */
    static final long WINDOW = 0x4000_0000L;
    private static final String[] PROTS = {"rw", "r", "rx"};

    private MemoryActions() {
    }

    static Step<SoakModel, World> mmap(Choices c, SoakModel m, Pressure pressure) {
        SoakModel.Proc p = c.pick(m.idle());
        boolean bad = c.oneIn(6);
        boolean big = pressure.smallMachines() && !bad && c.oneIn(8); // a few MiB, populated: runs small machines out of memory
        boolean populate = big || c.oneIn(3);
        long length = bad ? 100 : big ? c.between(256, 1024) * PAGE : c.between(1, 4) * PAGE;
        String prot = PROTS[c.below(PROTS.length)];
        Fault fault = pressure.drawFault(c);
        String flags = populate ? ", MAP_POPULATE" : "";
        return Step.of("pid " + p.pid + ": mmap(" + length + ", " + prot + flags + ")" + fault, (w, model) -> {
            Object r = w.refusable(p.mainTid, fault, sys -> sys.mmap(0, length, prot, populate));
            if (bad) {
                Expect.errno(r, Errno.EINVAL);
                return;
            }
            if (World.isRefusal(r)) {
                return;
            }
            long at = (Long) Expect.ok(r);
            addPages(p, at, length / PAGE, prot.contains("w"));
        });
    }

    static Step<SoakModel, World> munmap(Choices c, SoakModel m) {
        SoakModel.Proc p = c.pick(m.idle());
        return unmapStep(p, WINDOW + c.below(32) * PAGE, c.between(1, 8) * PAGE, "munmap");
    }

    /** A munmap of pages a live relative maps too (shared until either writes): only this side's references go. */
    static boolean canUnmapShared(SoakModel m) {
        return m.idle().stream().anyMatch(p -> !sharedWindowPages(m, p).isEmpty());
    }

    static Step<SoakModel, World> munmapShared(Choices c, SoakModel m) {
        SoakModel.Proc p = c.pick(m.idle().stream().filter(x -> !sharedWindowPages(m, x).isEmpty()).toList());
        return unmapStep(p, c.pick(sharedWindowPages(m, p)), c.between(1, 4) * PAGE, "munmap of shared");
    }

    private static Step<SoakModel, World> unmapStep(SoakModel.Proc p, long start, long length, String what) {
        return Step.of("pid " + p.pid + String.format(": %s(0x%x, %d)", what, start, length), (w, model) -> {
            boolean any = !p.pages.subMap(start, start + length).isEmpty();
            Object r = w.command(p.mainTid, sys -> {
                sys.munmap(start, length);
                return "ok";
            });
            if (any) {
                Expect.ok(r);
                p.pages.subMap(start, start + length).clear();
            } else {
                Expect.errno(r, Errno.EINVAL);
            }
        });
    }

    static Step<SoakModel, World> mprotect(Choices c, SoakModel m) {
        SoakModel.Proc p = c.pick(m.idle());
        long start = WINDOW + c.below(32) * PAGE;
        long length = c.between(1, 4) * PAGE;
        String prot = PROTS[c.below(PROTS.length)];
        return Step.of("pid " + p.pid + String.format(": mprotect(0x%x, %d, %s)", start, length, prot), (w, model) -> {
            boolean all = p.pages.subMap(start, start + length).size() == length / PAGE;
            Object r = w.command(p.mainTid, sys -> {
                sys.mprotect(start, length, prot);
                return "ok";
            });
            if (all) {
                Expect.ok(r);
                for (var e : p.pages.subMap(start, start + length).entrySet()) {
                    e.setValue(new SoakModel.Page(prot.contains("w"), e.getValue().value()));
                }
            } else {
                Expect.errno(r, Errno.ENOMEM);
            }
        });
    }

    /** A store: mostly to a writable page (a demand-zero fault or a CoW break the first time), else one that is read-only: SIGSEGV. */
    static Step<SoakModel, World> store(Choices c, SoakModel m, Pressure pressure) {
        SoakModel.Proc p = c.pick(accessors(m));
        List<Long> writable = pagesWhere(p, SoakModel.Page::writable);
        long va = !writable.isEmpty() && !c.oneIn(4) ? c.pick(writable) : c.pick(List.copyOf(p.pages.keySet()));
        return storeStep(p, va, c.between(1, Long.MAX_VALUE), pressure.drawFault(c), "store", pressure);
    }

    /**
     * The processes that make loads and stores: any but init, which no fault may end (on Linux
     * init's death is a panic, and the OOM killer spares it).
     */
    static List<SoakModel.Proc> accessors(SoakModel m) {
        return m.idle().stream().filter(p -> p.pid != 1 && !p.pages.isEmpty()).toList();
    }

    /** Whether some process can write a page a live relative maps too: a write after fork. */
    static boolean canWriteShared(SoakModel m) {
        return accessors(m).stream().anyMatch(p -> !sharedWritablePages(m, p).isEmpty());
    }

    /** A store to a writable page a parent or child maps too: breaks the share (a copy, or the last sharer takes it over). */
    static Step<SoakModel, World> writeAfterFork(Choices c, SoakModel m, Pressure pressure) {
        SoakModel.Proc p = c.pick(accessors(m).stream().filter(x -> !sharedWritablePages(m, x).isEmpty()).toList());
        long va = c.pick(sharedWritablePages(m, p));
        return storeStep(p, va, c.between(1, Long.MAX_VALUE), pressure.drawFault(c), "write after fork", pressure);
    }

    private static Step<SoakModel, World> storeStep(SoakModel.Proc p, long va, long value, Fault fault, String what, Pressure pressure) {
        return Step.of("pid " + p.pid + String.format(": %s 0x%x", what, va) + fault, (w, model) -> {
            Object r = w.faulting(p.mainTid, fault, sys -> {
                sys.store64(va, value);
                return "ok";
            });
            SoakModel.Page page = p.pages.get(va);
            if (page == null || !page.writable()) {
                Expect.signalled(w, model, p, r, Set.of(Expect.SIGSEGV));
            } else if (r == null && pressure != Pressure.NONE) {
                Expect.signalled(w, model, p, r, Set.of(Expect.SIGKILL)); // no frame for the fault
            } else {
                Expect.ok(r);
                p.pages.put(va, new SoakModel.Page(true, value));
            }
        });
    }

    /**
     * A load: mostly of a page written before (its value must survive every share and break), else
     * of any page (a demand-zero page reads 0), and now and then of an address nothing maps or of a
     * kernel address: SIGSEGV.
     */
    static Step<SoakModel, World> load(Choices c, SoakModel m, Pressure pressure) {
        SoakModel.Proc p = c.pick(accessors(m));
        List<Long> written = pagesWhere(p, page -> page.value() != 0);
        boolean wild = c.oneIn(10);
        boolean kernel = wild && c.oneIn(2);
        long va = kernel ? -1
                : wild ? WINDOW + c.below(64) * PAGE
                : !written.isEmpty() && !c.oneIn(4) ? c.pick(written) : c.pick(List.copyOf(p.pages.keySet()));
        Fault fault = pressure.drawFault(c);
        return Step.of("pid " + p.pid + ": load " + (kernel ? "a kernel address" : String.format("0x%x", va)) + fault, (w, model) -> {
            long at = kernel ? w.userTop : va;
            Object r = w.faulting(p.mainTid, fault, sys -> sys.load64(at));
            SoakModel.Page page = p.pages.get(at);
            if (page == null) {
                Expect.signalled(w, model, p, r, Set.of(Expect.SIGSEGV));
            } else if (r == null && pressure != Pressure.NONE) {
                Expect.signalled(w, model, p, r, Set.of(Expect.SIGKILL));
            } else if (!Long.valueOf(page.value()).equals(Expect.ok(r))) {
                throw new AssertionError(String.format("load 0x%x gave %s, the model has %d", at, r, page.value()),
                        r instanceof Exception cause ? cause : null);
            }
        });
    }

    /** The pages of {@code p}'s mmap window that a live relative maps too. */
    private static List<Long> sharedWindowPages(SoakModel m, SoakModel.Proc p) {
        List<Long> out = new ArrayList<>();
        for (long va : sharedPages(m, p, page -> true)) {
            if (va >= WINDOW && va < WINDOW + 32 * PAGE) {
                out.add(va);
            }
        }
        return out;
    }

    private static List<Long> sharedWritablePages(SoakModel m, SoakModel.Proc p) {
        return sharedPages(m, p, SoakModel.Page::writable);
    }

    /** Pages of {@code p} matching {@code which} that a live relative maps at the same address. */
    private static List<Long> sharedPages(SoakModel m, SoakModel.Proc p, Predicate<SoakModel.Page> which) {
        List<SoakModel.Proc> relatives = m.liveRelatives(p);
        List<Long> out = new ArrayList<>();
        if (relatives.isEmpty()) {
            return out;
        }
        for (long va : pagesWhere(p, which)) {
            if (relatives.stream().anyMatch(r -> r.pages.containsKey(va))) {
                out.add(va);
            }
        }
        return out;
    }

    static List<Long> pagesWhere(SoakModel.Proc p, Predicate<SoakModel.Page> which) {
        List<Long> out = new ArrayList<>();
        for (var e : p.pages.entrySet()) {
            if (which.test(e.getValue())) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    static void addPages(SoakModel.Proc p, long start, long count, boolean writable) {
        for (long i = 0; i < count; i++) {
            p.pages.put(start + i * PAGE, new SoakModel.Page(writable, 0));
        }
    }
}
