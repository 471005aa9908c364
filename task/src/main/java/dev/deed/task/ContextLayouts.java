package dev.deed.task;

import dev.deed.task.spi.ContextLayout;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The context layouts the arch modules provide, by architecture name. */
public final class ContextLayouts {
    private ContextLayouts() {
    }

    public static List<ContextLayout> available() {
        return ServiceLoader.load(ContextLayout.class).stream().map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(ContextLayout::arch)).toList();
    }

    public static ContextLayout forArch(String arch) {
        List<ContextLayout> all = available();
        return all.stream().filter(l -> l.arch().equals(arch)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no context layout for architecture '" + arch + "'; available: "
                        + (all.isEmpty() ? "none (no arch module on the module path)"
                        : all.stream().map(ContextLayout::arch).collect(Collectors.joining(", ")))));
    }
}
