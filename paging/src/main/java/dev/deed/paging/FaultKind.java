package dev.deed.paging;

/** Why a translation faulted. */
public enum FaultKind {
    /** An invalid entry on the walk (V=0 / P=0). */
    NOT_PRESENT,
    /** The leaf does not allow this access (read, write or execute). */
    PERMISSION,
    /** Reserved bits are set in an entry. */
    RESERVED_BITS,
    /** RISC-V: W=1 with R=0, a reserved encoding. */
    WRITE_WITHOUT_READ,
    /** A superpage whose physical address is not aligned to its size. */
    MISALIGNED_SUPERPAGE,
    /** The virtual address is not canonical for the format. */
    NON_CANONICAL,
    /** Supervisor access to a user page without SUM, or a supervisor fetch from a user page. */
    USER_PAGE_FROM_SUPERVISOR,
    /** User access to a supervisor page. */
    SUPERVISOR_PAGE_FROM_USER,
    /** The walk reached the last level without finding a leaf. */
    NO_LEAF,
    /** The root register does not name a usable page table for this format. */
    BAD_ROOT,
    /** The walk read an entry outside RAM (a table pointer to nowhere). */
    ACCESS_FAULT
}
