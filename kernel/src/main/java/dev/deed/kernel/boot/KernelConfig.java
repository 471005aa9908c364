package dev.deed.kernel.boot;

import dev.deed.frame.PlantedBug;
import dev.deed.heap.PoisonPolicy;
import dev.deed.task.SchedulerConfig;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How to boot.
 *
 * @param arch      architecture name (any arch module's)
 * @param memory    bytes of RAM
 * @param seed      the scheduler's seed
 * @param poison    heap poisoning (every heap by default)
 * @param stackSize kernel stack size
 * @param planted   seed bugs planted on purpose ({@code --inject}); empty for a correct kernel
 * @param cpus      simulated CPUs, 1 to {@link #MAX_CPUS}
 * @param paging    the paging format ({@code --paging}: one of the arch's), or null for the arch's default
 */
public record KernelConfig(String arch, long memory, long seed, PoisonPolicy poison, long stackSize, Set<PlantedBug> planted,
                           int cpus, @Nullable String paging) {
    /** The most CPUs a Deed machine has. */
    public static final int MAX_CPUS = 8;
    /**
     * The architecture booted when none is named: the product's default, and the one place outside the
     * arch modules that names an architecture.
     */
    public static final String DEFAULT_ARCH = "riscv64";

    public KernelConfig {
        if (memory < (16L << 20) || memory % 4096 != 0) {
            throw new IllegalArgumentException("memory " + memory + " must be a multiple of 4 KiB of at least 16 MiB");
        }
        planted = planted.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(planted));
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("--cpus " + cpus + " must be from 1 to " + MAX_CPUS);
        }
    }

    /** The default architecture with 256 MiB, as {@code ./deed demo}. */
    public static KernelConfig defaults() {
        return of(DEFAULT_ARCH, 256L << 20);
    }

    public static KernelConfig of(String arch, long memory) {
        return new KernelConfig(arch, memory, 1, PoisonPolicy.ALL_HEAPS, SchedulerConfig.DEFAULT_STACK_SIZE, Set.of(), 1, null);
    }

    public KernelConfig withSeed(long s) {
        return new KernelConfig(arch, memory, s, poison, stackSize, planted, cpus, paging);
    }

    /** The same with {@code bugs} planted (see {@link PlantedBug}). */
    public KernelConfig withPlanted(Set<PlantedBug> bugs) {
        return new KernelConfig(arch, memory, seed, poison, stackSize, bugs, cpus, paging);
    }

    /** The same on {@code n} CPUs. */
    public KernelConfig withCpus(int n) {
        return new KernelConfig(arch, memory, seed, poison, stackSize, planted, n, paging);
    }

    /** The same with page tables in {@code format} (one of the arch's paging formats; null: the arch's default). */
    public KernelConfig withPaging(@Nullable String format) {
        return new KernelConfig(arch, memory, seed, poison, stackSize, planted, cpus, format);
    }
}
