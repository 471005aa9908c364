package dev.deed.process;

import dev.deed.frame.FaultPlan;
import dev.deed.frame.PlantedBug;

/**
 * The planted B4 (Asterinas #1491's third cause): a /proc inode cache that keeps a <em>strong</em>
 * reference to every process a /proc read touched, so none of them could ever be freed. It exists
 * only while B4 is planted; each entry is counted on the process ({@link Process#retain}), and the
 * reaper refuses a process that something besides its owner still holds — the run-time check that
 * catches it, as rCore's waitpid asserts it holds the last reference.
 */
final class PlantedInodeCache {
    private final FaultPlan faults;
    /** The planted leak: strong references that own nothing and are never dropped. */
    private Process[] inodes = new Process[8];
    private int size;

    PlantedInodeCache(FaultPlan faults) {
        this.faults = faults;
    }

    /** Caches {@code p} as a /proc read touched it — only while B4 is planted. */
    void touched(Process p) {
        if (!faults.isPlanted(PlantedBug.B4)) {
            return;
        }
        for (int i = 0; i < size; i++) {
            if (inodes[i] == p) {
                return;
            }
        }
        if (size == inodes.length) {
            Process[] grown = new Process[size * 2];
            System.arraycopy(inodes, 0, grown, 0, size);
            inodes = grown;
        }
        inodes[size++] = p;
        p.retain("the /proc inode cache");
    }
}
