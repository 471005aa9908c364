package dev.deed.paging.spi;

import dev.deed.paging.FaultKind;
import dev.deed.paging.PageProperty;

/** A decoded page-table entry. */
public sealed interface Entry {

    /** Not valid / not present. */
    record Absent() implements Entry {
    }

    /**
     * A pointer to the next-level table. {@code writable}, {@code user} and {@code executable}
     * restrict the subtree on formats whose rights accumulate across levels (i386, x86-64's
     * execute-disable); elsewhere they are true.
     */
    record Table(long pa, boolean writable, boolean user, boolean executable) implements Entry {
        /** A table entry that does not restrict execution (formats without execute-disable in tables). */
        public Table(long pa, boolean writable, boolean user) {
            this(pa, writable, user, true);
        }
    }

    /** A leaf: the page's physical address, its rights and attributes, and the software tracking bit. */
    record Leaf(long pa, PageProperty props, boolean tracked) implements Entry {
    }

    /** An entry the hardware rejects (reserved bits, W without R, …). */
    record Malformed(FaultKind kind, String why) implements Entry {
    }
}
