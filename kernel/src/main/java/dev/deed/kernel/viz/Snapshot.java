package dev.deed.kernel.viz;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Usage;
import dev.deed.kernel.boot.Kernel;
import dev.deed.kernel.boot.ResourceReport;
import dev.deed.paging.Mapping;
import dev.deed.paging.TableNode;
import dev.deed.process.ProcessInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's state at one step, as the report draws it: every frame's state (run-length encoded),
 * the frames with more than one reference, the buddy free lists, the resource census, each live
 * address space's page-table tree, and the /proc files the figures are checked against. Everything
 * is read from the kernel's own accessors at a step boundary; nothing here keeps books of its own.
 *
 * @param step      steps since the recording began
 * @param label     what the moment is ("boot", "step", "end")
 * @param frameRuns pairs (code, run length) covering every RAM frame in order; codes as {@link FrameAllocator#frameMap}
 * @param shared    pairs (frame index, references) for every frame with more than one reference
 * @param buddy     free units per order in the buddy lists
 * @param census    the resource census at this moment
 * @param spaces    the address spaces of the processes that have one, by pid
 * @param meminfo   /proc/meminfo as read at this moment
 * @param buddyinfo /proc/buddyinfo as read at this moment
 */
record Snapshot(long step, String label, int[] frameRuns, int[] shared, List<Integer> buddy, ResourceReport census,
                List<Space> spaces, String meminfo, String buddyinfo) {

    /** One process's address space: its page-table nodes and leaves, frames as indexes from the RAM base. */
    record Space(int pid, int ppid, String name, char state, List<Node> nodes, List<Leaf> leaves) {
    }

    /** A page-table node: its frame, level, first address and valid entries. */
    record Node(int frame, int level, long base, int valid) {
    }

    /** A leaf: virtual address, first frame, size in pages, and flags ({@link #WRITE} …). */
    record Leaf(long va, int frame, long pages, int flags) {
    }

    static final int WRITE = 1;
    static final int EXECUTE = 2;
    static final int USER = 4;
    static final int TRACKED = 8;

    /** Reads the snapshot from {@code kernel}; {@code codes} and {@code refs} are scratch for one per frame. */
    static Snapshot take(Kernel kernel, long step, String label, byte[] codes, int[] refs) {
        FrameAllocator frames = kernel.frames();
        frames.frameMap(codes, refs);
        int[] runs = runs(codes);
        List<Integer> shared = new ArrayList<>();
        for (int i = 0; i < refs.length; i++) {
            if (refs[i] > 1) {
                shared.add(i);
                shared.add(refs[i]);
            }
        }
        long base = frames.machine().ramBase().value();
        List<Space> spaces = new ArrayList<>();
        for (int pid : kernel.processes().pids()) {
            List<TableNode> nodes = kernel.processes().tableNodesOf(pid);
            ProcessInfo info = kernel.processes().info(pid).orElse(null);
            if (nodes.isEmpty() || info == null) {
                continue;
            }
            List<Node> n = new ArrayList<>(nodes.size());
            for (TableNode t : nodes) {
                n.add(new Node(frameIndex(t.pa(), base), t.level(), t.base().value(), t.validEntries()));
            }
            List<Leaf> leaves = new ArrayList<>();
            for (Mapping m : kernel.processes().mappingsOf(pid)) {
                int flags = (m.props().write() ? WRITE : 0) | (m.props().execute() ? EXECUTE : 0) | (m.props().user() ? USER : 0)
                        | (m.tracked() ? TRACKED : 0);
                leaves.add(new Leaf(m.va().value(), frameIndex(m.pa(), base), m.size() >>> 12, flags));
            }
            spaces.add(new Space(pid, info.ppid(), info.name(), info.stateCode(), n, leaves));
        }
        String meminfo = kernel.procfs().read("/proc/meminfo", 0);
        String buddyinfo = kernel.procfs().read("/proc/buddyinfo", 0);
        return new Snapshot(step, label, runs, shared.stream().mapToInt(Integer::intValue).toArray(),
                frames.stats().freeBlocks(), kernel.report(), spaces, meminfo, buddyinfo);
    }

    /** Frames of each usage in this snapshot's frame map (for checks: it must agree with the census). */
    long framesCoded(int code) {
        long n = 0;
        for (int i = 0; i < frameRuns.length; i += 2) {
            n += frameRuns[i] == code ? frameRuns[i + 1] : 0;
        }
        return n;
    }

    static int code(Usage usage) {
        return FrameAllocator.MAP_USED + usage.ordinal();
    }

    private static int frameIndex(long pa, long base) {
        return (int) ((pa - base) >>> 12);
    }

    private static int[] runs(byte[] codes) {
        List<Integer> out = new ArrayList<>();
        int i = 0;
        while (i < codes.length) {
            int j = i;
            while (j < codes.length && codes[j] == codes[i]) {
                j++;
            }
            out.add((int) codes[i]);
            out.add(j - i);
            i = j;
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
