package dev.deed.paging;

/** Who is accessing: user mode, or supervisor (kernel) mode. */
public enum Privilege {
    USER,
    SUPERVISOR
}
