package dev.deed.kernel.cli;

import dev.deed.heap.PoisonPolicy;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.task.SchedulerConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every booting command shares: --arch, --paging, --mem, --seed, --cpus. */
@SuppressWarnings("initialization.field.uninitialized") // picocli injects the options
final class KernelOptions {
    @Mixin
    ArchOption arch = new ArchOption();

    @Option(names = "--mem", defaultValue = "256M", paramLabel = "SIZE", description = "RAM, e.g. 256M, 1G. Default: ${DEFAULT-VALUE}.")
    String mem = "256M";

    @Option(names = "--seed", defaultValue = "1", description = "The scheduler's seed. Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @Option(names = "--cpus", paramLabel = "N", description = "Simulated CPUs, 1 to 8. Default: 1 (2 for demo).")
    @org.checkerframework.checker.nullness.qual.Nullable Integer cpus;

    /** Validated: an unknown architecture, a bad size or CPU count is a usage error naming the allowed values. */
    KernelConfig config() {
        return config(1);
    }

    /** As {@link #config()}, with {@code defaultCpus} when --cpus is not given. */
    KernelConfig config(int defaultCpus) {
        String name = arch.arch();
        Integer n = cpus;
        int count = n == null ? defaultCpus : n;
        if (count < 1 || count > KernelConfig.MAX_CPUS) {
            throw new DeedCli.UsageFailure("deed: --cpus " + count + " must be from 1 to " + KernelConfig.MAX_CPUS);
        }
        return new KernelConfig(name, Sizes.parse("--mem", mem), seed, PoisonPolicy.ALL_HEAPS, SchedulerConfig.DEFAULT_STACK_SIZE,
                java.util.Set.of(), count, arch.paging());
    }
}
