package dev.deed.kernel.cli;

import dev.deed.frame.MemoryLayouts;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.paging.PagingFormats;
import dev.deed.paging.spi.PagingFormat;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --arch NAME [--paging FORMAT]}, the same on every command: an arch module's name, and one of
 * its paging formats (its default when left out). Bad names are usage errors listing the good ones.
 */
@SuppressWarnings("initialization.field.uninitialized") // picocli injects the options
final class ArchOption {
    @Option(names = "--arch", defaultValue = KernelConfig.DEFAULT_ARCH,
            description = "Architecture: an arch module's name (a wrong one lists those present). Default: ${DEFAULT-VALUE}.")
    String arch = KernelConfig.DEFAULT_ARCH;

    @Option(names = "--paging", paramLabel = "FORMAT",
            description = "Paging format: one of the architecture's (a wrong one lists them). Default: the architecture's own.")
    @Nullable String paging;

    /** The architecture, checked. */
    String arch() {
        format();
        return arch;
    }

    /** The format named by --paging (checked), or null when left out. */
    @Nullable String paging() {
        return paging == null ? null : format().name();
    }

    /** The paging format --arch and --paging name. */
    PagingFormat format() {
        List<PagingFormat> formats = PagingFormats.available().stream().filter(f -> f.arch().equals(arch)).toList();
        if (formats.isEmpty()) {
            List<String> arches = PagingFormats.available().stream().map(PagingFormat::arch).distinct().toList();
            boolean formatName = PagingFormats.available().stream().anyMatch(f -> f.name().equals(arch));
            throw new DeedCli.UsageFailure("deed: --arch '" + arch + "' is not an architecture here; available: "
                    + String.join(", ", arches) + (formatName ? "; " + arch + " is a paging format: --arch "
                    + PagingFormats.named(arch).arch() + " --paging " + arch : ""));
        }
        String name = paging;
        String wanted = name == null ? MemoryLayouts.forArch(arch).defaultPaging() : name;
        return formats.stream().filter(f -> f.name().equals(wanted)).findFirst().orElseThrow(() -> new DeedCli.UsageFailure(
                "deed: --paging '" + wanted + "' is not a paging format of " + arch + "; formats: "
                        + String.join(", ", formats.stream().map(PagingFormat::name).toList())));
    }
}
