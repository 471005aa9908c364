package dev.deed.paging.spi;

import dev.deed.paging.Access;

/**
 * What the kernel's page-fault handler learns from a {@link Trap}, decoded by the arch module that
 * encoded it.
 *
 * @param va      the faulting virtual address
 * @param access  read, write or instruction fetch
 * @param present whether the trap says the page was present (a protection fault); RISC-V does not
 *                say, and reports false — the handler looks at the page table either way
 * @param user    whether the access came from user mode, when the encoding says (i386); RISC-V
 *                reports true for a fault taken from a user access (the privilege the trap came from)
 */
public record DecodedFault(long va, Access access, boolean present, boolean user) {
}
