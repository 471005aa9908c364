package dev.deed.kernel.image;

import dev.deed.paging.PageProperty;

/** One line of an ops file, parsed. */
sealed interface Op {
    int line();

    /** {@code map VA SIZE FLAGS}: allocate tracked frames and map them. */
    record Map(int line, long va, long size, PageProperty props) implements Op {
    }

    /** {@code map-untracked VA PA SIZE FLAGS}. */
    record MapUntracked(int line, long va, long pa, long size, PageProperty props) implements Op {
    }

    /** {@code unmap VA SIZE}. */
    record Unmap(int line, long va, long size) implements Op {
    }

    /** {@code protect VA SIZE FLAGS}. */
    record Protect(int line, long va, long size, PageProperty props) implements Op {
    }
}
