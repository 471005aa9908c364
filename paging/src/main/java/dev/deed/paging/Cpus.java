package dev.deed.paging;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Probe;
import dev.deed.paging.spi.PagingFormat;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The machine's CPUs as the paging layer sees them — the one owner of every CPU's MMU and TLB, of
 * which CPU executes now, and of the TLB shootdowns in flight. There is one per machine (and paging
 * format): {@link #of} finds it, so page tables, the scheduler and the process layer all reach the
 * same TLBs instead of carrying lists of them.
 *
 * <p>A {@link PendingFlush} takes no TLB list: it invalidates the executing CPU's TLB and posts a
 * shootdown to every other CPU the address space is active on (Linux's {@code mm_cpumask}; for a
 * kernel table, every CPU). An idle CPU applies it at once; a CPU running a task is paused at a step
 * boundary and applies it there when it is next given a step (a modelled IPI) — until then its TLB
 * still holds the old entry, as hardware's would. When the last targeted CPU has acknowledged, the
 * frames and page-table nodes are released; a release that would leave a translation to the frame in
 * any TLB is refused ({@link StaleTranslationException}), naming the frame and the CPU.
 */
public final class Cpus {
    /** CPUs a machine may have here: one bit each in a {@code long} mask. */
    static final int MAX_CPUS = 64;
    private final PagingFormat format;
    private final Probe probe;
    private final Mmu[] mmus;
    /** Idle CPUs, one bit each (a machine has at most {@link #MAX_CPUS}). */
    private long idle;
    private final ArrayDeque<Shootdown>[] inboxes;
    /** Root table frame number → the CPUs (one bit each) that filled TLB entries from it: its address space is active there. */
    private final LongMap activeOn = new LongMap();
    private int current;
    private long sent;
    private long acknowledged;

    /** One flush's remote half: the CPUs that have not yet applied it. */
    static final class Shootdown {
        final PendingFlush flush;
        long waitingFor;

        Shootdown(PendingFlush flush, long waitingFor) {
            this.flush = flush;
            this.waitingFor = waitingFor;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of per-CPU deques: Java has no generic array creation
    private Cpus(PagingFormat format, FrameAllocator frames) {
        int n = frames.machine().cpus();
        this.format = format;
        this.probe = frames.probe();
        this.mmus = new Mmu[n];
        this.inboxes = new ArrayDeque[n];
        for (int i = 0; i < n; i++) {
            mmus[i] = new Mmu(format, frames, this, i);
            inboxes[i] = new ArrayDeque<>();
        }
        if (n > MAX_CPUS) {
            throw new IllegalArgumentException(n + " CPUs: at most " + MAX_CPUS);
        }
        idle = all(n);
    }

    /** The CPUs of {@code frames}' machine, for page tables in {@code format}: made once, shared by every layer. */
    @SuppressWarnings("unchecked") // the registry holds exactly this type under this key
    public static Cpus of(FrameAllocator frames, PagingFormat format) {
        Map<String, Cpus> byFormat = frames.shared(Registry.class, f -> new Registry()).byFormat;
        return byFormat.computeIfAbsent(format.name(), name -> new Cpus(format, frames));
    }

    /** The mask of CPUs 0 … n-1. */
    private static long all(int n) {
        return n == 64 ? -1L : (1L << n) - 1;
    }

    /** The machine's per-format registry (a machine normally uses one paging format). */
    private static final class Registry {
        final Map<String, Cpus> byFormat = new TreeMap<>();
    }

    public int count() {
        return mmus.length;
    }

    public PagingFormat format() {
        return format;
    }

    /** CPU {@code cpu}'s MMU (and TLB). */
    public Mmu mmu(int cpu) {
        return mmus[cpu];
    }

    /** The CPU executing now. */
    public int current() {
        return current;
    }

    /** The executing CPU's MMU. */
    public Mmu currentMmu() {
        return mmus[current];
    }

    /** The scheduler hands the machine to CPU {@code cpu}: what executes from now on executes there. */
    public void runOn(int cpu) {
        if (cpu < 0 || cpu >= mmus.length) {
            throw new IllegalArgumentException("CPU " + cpu + " is not one of the machine's " + mmus.length);
        }
        current = cpu;
    }

    /**
     * Whether CPU {@code cpu} is idle (runs no task). An idle CPU takes a shootdown at once; a busy
     * one at its next step boundary. All CPUs start idle; the scheduler says when that changes.
     */
    public void setIdle(int cpu, boolean isIdle) {
        idle = isIdle ? idle | 1L << cpu : idle & ~(1L << cpu);
        if (isIdle) {
            boundary(cpu);
        }
    }

    /**
     * CPU {@code cpu} reached a step boundary: it applies every shootdown posted to it and
     * acknowledges each; the last acknowledgement of a flush releases its frames and nodes.
     */
    public void boundary(int cpu) {
        ArrayDeque<Shootdown> inbox = inboxes[cpu];
        if (!inbox.isEmpty()) {
            probe.report(Probe.Event.ACK, cpu, inbox.size(), 0, null);
        }
        for (Shootdown s = inbox.poll(); s != null; s = inbox.poll()) {
            s.flush.invalidate(mmus[cpu].tlb());
            acknowledged++;
            s.waitingFor &= ~(1L << cpu);
            if (s.waitingFor == 0) {
                s.flush.release();
            }
        }
    }

    /** Every CPU takes its shootdowns now (all are at a boundary: between runs, at shutdown). */
    public void drain() {
        for (int cpu = 0; cpu < mmus.length; cpu++) {
            boundary(cpu);
        }
    }

    /** Shootdowns posted and not yet acknowledged by every CPU they target. */
    public int outstanding() {
        int n = 0;
        for (ArrayDeque<Shootdown> inbox : inboxes) {
            n += inbox.size();
        }
        return n;
    }

    /** Shootdown requests sent to other CPUs, and acknowledgements received, since boot. */
    public long sent() {
        return sent;
    }

    public long acknowledged() {
        return acknowledged;
    }

    // ---- for page tables and flushes ----

    /** CPU {@code cpu} cached a translation from the table rooted at {@code rootPa}: it is active there now. */
    void filled(int cpu, long rootPa) {
        activeOn.or(rootPa >>> 12, 1L << cpu);
    }

    /**
     * Invalidates here, and posts {@code flush} to the other CPUs that may hold its translations:
     * every CPU for a kernel table, else those where the address space is active. Releases at once if
     * there are none (or they are all idle and apply it now).
     */
    void shootdown(PendingFlush flush, boolean kernel, long rootPa) {
        flush.invalidate(mmus[current].tlb());
        long targets = kernel ? all(mmus.length) : activeOn.get(rootPa >>> 12);
        targets &= ~(1L << current);
        if (flush.destroys()) {
            activeOn.remove(rootPa >>> 12);
            for (Mmu mmu : mmus) {
                mmu.forget(rootPa);
            }
        }
        if (targets == 0) {
            flush.release();
            return;
        }
        Shootdown s = new Shootdown(flush, targets);
        for (int cpu = 0; cpu < mmus.length; cpu++) {
            if ((targets & 1L << cpu) != 0) {
                inboxes[cpu].add(s);
                sent++;
                probe.report(Probe.Event.SHOOTDOWN, current, cpu, 0, null);
            }
        }
        for (int cpu = 0; cpu < mmus.length; cpu++) {
            if ((targets & idle & 1L << cpu) != 0) {
                boundary(cpu);
            }
        }
    }

    /**
     * Refuses to release the page at {@code pa} ({@code what}: a frame, a page-table node) while any
     * CPU's TLB still holds a translation that reaches it — to it, or through a PTE inside it.
     */
    void requireUnreachable(long pa, String what) {
        for (int cpu = 0; cpu < mmus.length; cpu++) {
            @Nullable String via = mmus[cpu].tlb().reaching(pa);
            if (via != null) {
                throw new StaleTranslationException("cannot release " + what + " 0x" + Long.toHexString(pa) + ": CPU " + cpu
                        + "'s TLB still " + via + " — its shootdown is not acknowledged; nothing was released");
            }
        }
    }
}
