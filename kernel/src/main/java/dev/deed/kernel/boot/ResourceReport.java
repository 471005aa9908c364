package dev.deed.kernel.boot;

import dev.deed.frame.Usage;
import java.util.Map;

/**
 * What a kernel holds at one moment: frames by usage, heap blocks and frames, pids, tasks, kernel
 * stacks. Two reports are equal when everything that was taken has come back.
 */
public record ResourceReport(long freeFrames, Map<Usage, Long> framesByUsage, long heapBlocks, long heapFrames,
                             int pids, int processes, int tasks, int stacks) {
    public ResourceReport {
        framesByUsage = Map.copyOf(framesByUsage);
    }

    /** One line per resource, "name: before -> after" where they differ, "name: n" where not. */
    public String compareTo(ResourceReport before) {
        StringBuilder b = new StringBuilder();
        line(b, "free frames", before.freeFrames, freeFrames);
        for (Usage u : Usage.values()) {
            line(b, "frames used as " + u.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                    before.framesByUsage.getOrDefault(u, 0L), framesByUsage.getOrDefault(u, 0L));
        }
        line(b, "heap blocks", before.heapBlocks, heapBlocks);
        line(b, "frames the heap holds", before.heapFrames, heapFrames);
        line(b, "pids", before.pids, pids);
        line(b, "processes", before.processes, processes);
        line(b, "tasks", before.tasks, tasks);
        line(b, "kernel stacks", before.stacks, stacks);
        return b.toString();
    }

    private static void line(StringBuilder b, String name, long before, long after) {
        b.append(String.format("  %-27s %8d -> %-8d %s%n", name, before, after, before == after ? "returned" : "LEAKED " + (after - before)));
    }
}
