package dev.deed.frame;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One of the five seed bugs, re-planted on purpose ({@code deed soak --inject}, {@code deed boot
 * --inject}): the original kernel's wrong step, performed on a path that exists only while the bug
 * is planted in the machine's {@link FaultPlan}. It lets a user watch the layer that catches the bug
 * fire, and a property shrink and replay the run. Nothing is planted unless asked.
 */
public enum PlantedBug {
    /** Tilck #228: the reaper frees the {@code task_and_process} struct before its command-line buffer. */
    B1("the reaper frees the task_and_process struct (kfree by address) before the debug_cmdline buffer it owns"),
    /** rCore #144: the exiting main thread frees its own kernel stack while still running on it. */
    B2("an exiting thread frees the kernel stack it is running on"),
    /** Asterinas #1760: a frame handle forged for memory the allocator never handed out is dropped. */
    B3("munmap returns a forged frame at 0x1000, which the allocator never handed out"),
    /** Asterinas #1491: a /proc inode cache keeps a strong reference to every process it shows. */
    B4("/proc caches a strong reference to every process it shows"),
    /** Asterinas #1399: a page-table destructor releases untracked leaves as if they were tracked. */
    B5("the page-table destructor releases untracked leaves as if the allocator owned them"),
    /** B5's other hazard, Asterinas PR #1387 (rejected): frames and nodes released before the remote TLB flush. */
    B5_FLUSH("a flush releases frames and page-table nodes before every CPU has dropped its translations (PR #1387's order)");

    private final String wrongStep;

    PlantedBug(String wrongStep) {
        this.wrongStep = wrongStep;
    }

    /** The wrong step the planted bug performs, in words. */
    public String wrongStep() {
        return wrongStep;
    }

    /** {@code B1} … {@code B5}, {@code B5-flush}, any case; an unknown name is refused listing the known ones. */
    public static PlantedBug parse(String name) {
        for (PlantedBug bug : values()) {
            if (bug.name().equals(name.toUpperCase(Locale.ROOT).replace('-', '_'))) {
                return bug;
            }
        }
        throw new IllegalArgumentException("unknown bug '" + name + "'; bugs: "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
