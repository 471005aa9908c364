package dev.deed.frame;

import dev.deed.frame.spi.MemoryLayout;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The memory layouts the arch modules present provide, found with {@link ServiceLoader}. */
public final class MemoryLayouts {
    private MemoryLayouts() {
    }

    /** Every layout present, by architecture name. */
    public static List<MemoryLayout> available() {
        return ServiceLoader.load(MemoryLayout.class).stream().map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(MemoryLayout::arch)).toList();
    }

    /** The layout of {@code arch}; refused, naming the ones present, if no arch module provides it. */
    public static MemoryLayout forArch(String arch) {
        List<MemoryLayout> all = available();
        return all.stream().filter(l -> l.arch().equals(arch)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no memory layout for architecture '" + arch + "'; present: "
                        + (all.isEmpty() ? "none (no arch module is on the module path)"
                                : all.stream().map(MemoryLayout::arch).collect(Collectors.joining(", ")))));
    }
}
