package dev.deed.kernel.cli;

import dev.deed.heap.PoisonPolicy;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.task.ContextLayouts;
import dev.deed.task.SchedulerConfig;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every booting command shares: --arch, --mem, --seed. */
@SuppressWarnings("initialization.field.uninitialized") // picocli injects the options
final class KernelOptions {
    @Option(names = "--arch", defaultValue = "riscv64", description = "Architecture: riscv64 or i386 (any arch module present). Default: ${DEFAULT-VALUE}.")
    String arch = "riscv64";

    @Option(names = "--mem", defaultValue = "256M", paramLabel = "SIZE", description = "RAM, e.g. 256M, 1G. Default: ${DEFAULT-VALUE}.")
    String mem = "256M";

    @Option(names = "--seed", defaultValue = "1", description = "The scheduler's seed. Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    /** Validated: an unknown architecture or a bad size is a usage error naming the allowed values. */
    KernelConfig config() {
        List<String> arches = ContextLayouts.available().stream().map(l -> l.arch()).toList();
        if (!arches.contains(arch)) {
            throw new DeedCli.UsageFailure("deed: --arch '" + arch + "' is not an architecture here; available: "
                    + String.join(", ", arches));
        }
        return new KernelConfig(arch, Sizes.parse("--mem", mem), seed, PoisonPolicy.ALL_HEAPS, SchedulerConfig.DEFAULT_STACK_SIZE,
                java.util.Set.of());
    }
}
