package dev.deed.frame;

/** What an allocated frame is for; /proc/meminfo reports frames by usage. At most 16 values (4 metadata bits). */
public enum Usage {
    /** Kernel data with no more specific tag. */
    KERNEL,
    /** Slabs and blocks of the kernel heap. */
    HEAP,
    /** Page-table nodes. */
    PAGE_TABLE,
    /** Kernel stacks. */
    KERNEL_STACK,
    /** Pages mapped into user address spaces. */
    USER
}
