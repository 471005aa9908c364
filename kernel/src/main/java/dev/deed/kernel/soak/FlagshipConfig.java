package dev.deed.kernel.soak;

import dev.deed.frame.PlantedBug;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a flagship property runs: the architecture, the CPUs, the memory pressure, and a seed bug
 * planted on purpose (or none). Its {@link #name()} carries all of it — {@code flagship-riscv64},
 * {@code flagship-i386-cpus4-faults0.25}, {@code flagship-riscv64-injectB3} — so a replay token,
 * which names the property, says exactly how to rebuild it.
 *
 * @param arch     the architecture
 * @param pressure injected allocation failures and small machines
 * @param planted  the seed bug whose wrong step the kernel performs ({@code --inject}), or null
 * @param cpus     the machine's CPUs
 * @param paging   the paging format, or null for the arch's default
 */
public record FlagshipConfig(String arch, Pressure pressure, @Nullable PlantedBug planted, int cpus, @Nullable String paging) {
    private static final Pattern NAME = Pattern.compile("flagship-([a-z][a-z0-9_]*?)(?:-paging-([a-z][a-z0-9_]*))?(?:-cpus([1-8]))?"
            + "(?:-faults([0-9]*\\.?[0-9]+))?(?:-inject(B[1-5](?:_FLUSH)?))?");

    /** A correct kernel on {@code arch}, one CPU, under {@code pressure}. */
    public static FlagshipConfig of(String arch, Pressure pressure) {
        return new FlagshipConfig(arch, pressure, null, 1, null);
    }

    /** The same with page tables in {@code format} (null: the arch's default). */
    public FlagshipConfig withPaging(@Nullable String format) {
        return new FlagshipConfig(arch, pressure, planted, cpus, format);
    }

    /** The property's name, from which {@link #parse} rebuilds this configuration. */
    public String name() {
        PlantedBug bug = planted;
        String format = paging;
        return "flagship-" + arch + (format == null ? "" : "-paging-" + format) + (cpus == 1 ? "" : "-cpus" + cpus) + (pressure.faultRate() > 0 ? "-faults" + pressure.faultRate() : "")
                + (bug == null ? "" : "-inject" + bug.name());
    }

    /** The configuration named by {@code propertyName}; refused, naming it, for anything else. */
    public static FlagshipConfig parse(String propertyName) {
        Matcher m = NAME.matcher(propertyName);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + propertyName + "' is not a flagship property"
                    + " (flagship-ARCH, optionally followed by -faultsRATE and -injectBUG)");
        }
        String paging = m.group(2);
        String cpus = m.group(3);
        String rate = m.group(4);
        String bug = m.group(5);
        return new FlagshipConfig(String.valueOf(m.group(1)), rate == null ? Pressure.NONE : Pressure.faults(Double.parseDouble(rate)),
                bug == null ? null : PlantedBug.parse(bug), cpus == null ? 1 : Integer.parseInt(cpus), paging);
    }
}
