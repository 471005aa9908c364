package dev.deed.frame;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A named place where an allocation can be made to fail ({@link FaultPlan}). */
public enum FaultSite {
    /** A frame for anything but a page-table node: user pages, heap slabs and blocks, kernel-stack pages. */
    FRAME,
    /** A page-table node. */
    PAGE_TABLE,
    /** A kernel-heap block ({@code kmalloc}), before any frame is taken for it. */
    HEAP,
    /** A kernel stack, before its frames are taken. */
    KERNEL_STACK,
    /** A process id. */
    PID;

    /** The name used on the command line and in messages: {@code frame}, {@code page-table}, {@code heap}, … */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The site named {@code name} (as {@link #cliName()} writes it); an unknown name is refused listing the known ones. */
    public static FaultSite parse(String name) {
        for (FaultSite site : values()) {
            if (site.cliName().equals(name)) {
                return site;
            }
        }
        throw new IllegalArgumentException("unknown fault site '" + name + "'; sites: "
                + Arrays.stream(values()).map(FaultSite::cliName).collect(Collectors.joining(", ")));
    }
}
