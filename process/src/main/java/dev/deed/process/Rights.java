package dev.deed.process;

import dev.deed.paging.PageProperty;
import java.util.Locale;

/** Page rights as mmap's {@code prot}: any of read, write, execute. */
public record Rights(boolean read, boolean write, boolean execute) {

    public static final Rights RW = new Rights(true, true, false);
    public static final Rights RX = new Rights(true, false, true);
    public static final Rights R = new Rights(true, false, false);

    /** Parses {@code "rw"}, {@code "rx"}, … ; refuses anything else with EINVAL. */
    public static Rights parse(String prot) {
        String p = prot.toLowerCase(Locale.ROOT);
        if (p.isEmpty() || !p.matches("r?w?x?") ) {
            throw new SyscallException(Errno.EINVAL, "prot '" + prot + "' must be letters from r, w, x in that order");
        }
        return new Rights(p.contains("r"), p.contains("w"), p.contains("x"));
    }

    /** Deed maps user pages readable whenever they are writable or executable (RISC-V has no W-only pages). */
    PageProperty pageProperty() {
        return PageProperty.of(true, write, execute, true, false, false, false, dev.deed.paging.CachePolicy.WRITE_BACK);
    }

    /** {@code rwxp}-style, as /proc/pid/maps prints it. */
    public String maps() {
        return (read ? "r" : "-") + (write ? "w" : "-") + (execute ? "x" : "-") + "p";
    }
}
