package dev.deed.kernel.viz;

import dev.deed.frame.Probe;
import dev.deed.kernel.boot.Kernel;
import dev.deed.kernel.boot.RunObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Records one run for {@code deed viz} from the machine's {@link Probe}: every CPU's lane (which task
 * ran from which step to which), the point events (syscalls, page faults, shootdowns and their
 * acknowledgements, forks, exits, reaps), and {@link Snapshot}s of the kernel's state at step
 * boundaries, sampled so that any run fits: a snapshot every {@code interval} steps, and when
 * {@link #MAX_SNAPSHOTS} are held every other one is dropped and the interval doubles. The snapshot
 * at boot and the one at the end are always kept. Point events past {@link #MAX_EVENTS} are counted,
 * not kept; lanes are always complete. A recorder holds the last run it watched: a new boot starts
 * it afresh (so one recorder can watch the trials of a property and keep the last).
 */
public final class Recorder implements RunObserver, Probe.Sink {
    static final int MAX_SNAPSHOTS = 160;
    static final int MAX_EVENTS = 150_000;

    /** A stretch of steps one CPU spent on one task (tid 0: idle). */
    record Lane(int cpu, long from, long to, int tid, int name) {
    }

    /** A point event: at step, on CPU, of kind, with its two numbers and text (an index into {@link #strings}). */
    record Point(long step, int cpu, Probe.Event kind, long a, long b, int text) {
    }

    private final List<String> strings = new ArrayList<>();
    private final Map<String, Integer> stringIndex = new HashMap<>();
    private final List<Lane> lanes = new ArrayList<>();
    private final List<Point> points = new ArrayList<>();
    private final List<Snapshot> snapshots = new ArrayList<>();
    private @Nullable Snapshot first;
    private @Nullable Snapshot last;
    private @Nullable Kernel kernel;
    private long step;
    private long interval = 1;
    private long nextSample = 1;
    private long droppedEvents;
    private @Nullable String unreadable;
    private long[] laneFrom = new long[0];
    private int[] laneTid = new int[0];
    private int[] laneName = new int[0];
    private String paging = "";
    private long ramBase;
    private byte[] codes = new byte[0];
    private int[] refs = new int[0];

    @Override
    public void booted(Kernel k) {
        lanes.clear();
        points.clear();
        snapshots.clear();
        strings.clear();
        stringIndex.clear();
        first = null;
        last = null;
        step = 0;
        interval = 1;
        nextSample = 1;
        droppedEvents = 0;
        unreadable = null;
        this.kernel = k;
        paging = k.kernelTable().format().name();
        ramBase = k.frames().machine().ramBase().value();
        int cpus = k.scheduler().cpuCount();
        laneFrom = new long[cpus];
        laneTid = new int[cpus];
        laneName = new int[cpus];
        int frames = (int) k.frames().stats().total();
        codes = new byte[frames];
        refs = new int[frames];
        first = Snapshot.take(k, 0, "boot", codes, refs);
        k.frames().probe().attach(this);
    }

    @Override
    public void ended(Kernel k) {
        k.frames().probe().attach(null);
        for (int cpu = 0; cpu < laneFrom.length; cpu++) {
            closeLane(cpu);
        }
        try {
            last = Snapshot.take(k, step, "end", codes, refs);
        } catch (RuntimeException unreadable) {
            noteUnreadable(unreadable);
        }
        kernel = null;
    }

    private void noteUnreadable(RuntimeException e) {
        if (unreadable == null) {
            unreadable = "step " + step + ": " + e;
        }
    }

    /** Why a snapshot could not be taken (the first time), or null: the report says so. */
    @Nullable String unreadable() {
        return unreadable;
    }

    @Override
    public void event(Probe.Event event, int cpu, long a, long b, @Nullable String text) {
        switch (event) {
            case STEP -> {
                step++;
                if (step >= nextSample) {
                    sample();
                }
            }
            case SWITCH_IN -> {
                closeLane(cpu);
                laneTid[cpu] = (int) a;
                laneName[cpu] = intern(text == null ? "tid " + a : text);
            }
            case IDLE -> closeLane(cpu);
            default -> {
                if (points.size() < MAX_EVENTS) {
                    points.add(new Point(step, cpu, event, a, b, text == null ? -1 : intern(text)));
                } else {
                    droppedEvents++;
                }
            }
        }
    }

    private void closeLane(int cpu) {
        if (laneTid[cpu] != 0 && step >= laneFrom[cpu]) {
            lanes.add(new Lane(cpu, laneFrom[cpu], step, laneTid[cpu], laneName[cpu]));
        }
        laneTid[cpu] = 0;
        laneFrom[cpu] = step;
    }

    private void sample() {
        Kernel k = kernel;
        if (k == null) {
            return;
        }
        if (snapshots.size() == MAX_SNAPSHOTS) {
            List<Snapshot> kept = new ArrayList<>(MAX_SNAPSHOTS / 2);
            for (int i = 1; i < snapshots.size(); i += 2) {
                kept.add(snapshots.get(i));
            }
            snapshots.clear();
            snapshots.addAll(kept);
            interval *= 2;
        }
        nextSample = step + interval;
        try {
            snapshots.add(Snapshot.take(k, step, "step", codes, refs));
        } catch (RuntimeException unreadable) { // a broken kernel (a planted bug's) may not read back; the run goes on as it would
            noteUnreadable(unreadable);
        }
    }

    private int intern(String s) {
        Integer i = stringIndex.get(s);
        if (i != null) {
            return i;
        }
        strings.add(s);
        stringIndex.put(s, strings.size() - 1);
        return strings.size() - 1;
    }

    /** Every snapshot in step order: boot, the sampled ones, the end. Empty before the run ended. */
    List<Snapshot> snapshots() {
        Snapshot f = first;
        Snapshot l = last;
        List<Snapshot> all = new ArrayList<>(snapshots.size() + 2);
        if (f != null) {
            all.add(f);
        }
        all.addAll(snapshots);
        if (l != null) {
            all.add(l);
        }
        return all;
    }

    List<Lane> lanes() {
        return List.copyOf(lanes);
    }

    List<Point> points() {
        return List.copyOf(points);
    }

    List<String> strings() {
        return List.copyOf(strings);
    }

    long droppedEvents() {
        return droppedEvents;
    }

    long steps() {
        return step;
    }

    int cpus() {
        return laneFrom.length;
    }

    String paging() {
        return paging;
    }

    long ramBase() {
        return ramBase;
    }
}
