package dev.deed.paging;

/** The kind of memory access being translated. */
public enum Access {
    READ,
    WRITE,
    EXECUTE
}
