package dev.deed.paging;

import dev.deed.paging.spi.PagingFormat;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The paging formats the arch modules on the module path provide, found with {@link ServiceLoader}. */
public final class PagingFormats {
    private PagingFormats() {
    }

    /** Every registered format, sorted by name. */
    public static List<PagingFormat> available() {
        return ServiceLoader.load(PagingFormat.class).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(PagingFormat::name))
                .toList();
    }

    /** The format called {@code name}; an unknown name is refused with the list of available ones. */
    public static PagingFormat named(String name) {
        List<PagingFormat> all = available();
        return all.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown paging format '" + name + "'; available: "
                        + (all.isEmpty() ? "none (no arch module on the module path)"
                        : all.stream().map(PagingFormat::name).collect(Collectors.joining(", ")))));
    }
}
