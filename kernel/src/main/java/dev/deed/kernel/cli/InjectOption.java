package dev.deed.kernel.cli;

import dev.deed.frame.PlantedBug;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Option;

/** {@code --inject B1|B2|B3|B4|B5}: plant one seed bug's wrong step, to watch the layer that catches it. */
@SuppressWarnings("initialization.field.uninitialized") // picocli injects the option
final class InjectOption {
    @Option(names = "--inject", paramLabel = "BUG",
            description = "Plant one of the five seed bugs (B1..B5): the kernel performs the original bug's wrong step where it "
                    + "happened (B1 the reaper frees the struct first, B2 an exiting thread frees its own stack, B3 munmap drops a "
                    + "forged frame, B4 /proc caches processes strongly, B5 unmapping releases untracked memory), so you can watch "
                    + "what catches it.")
    @Nullable String name;

    /** The bug asked for, or null; an unknown name is a usage error listing the five. */
    @Nullable PlantedBug bug() {
        String n = name;
        if (n == null) {
            return null;
        }
        try {
            return PlantedBug.parse(n);
        } catch (IllegalArgumentException e) {
            throw new DeedCli.UsageFailure("deed: --inject: " + e.getMessage());
        }
    }

    /** As a set, for {@code KernelConfig.withPlanted}. */
    Set<PlantedBug> planted() {
        PlantedBug b = bug();
        return b == null ? Set.of() : Set.of(b);
    }
}
