package dev.deed.paging.spi;

/**
 * A page fault as the hardware reports it to the kernel, in the architecture's own encoding.
 * RISC-V: {@code cause} is {@code scause} (12 instruction, 13 load, 15 store/AMO page fault) and
 * {@code value} is {@code stval}, the faulting address. i386: {@code cause} is the #PF error code
 * (bit 0 P: the page was present, a protection violation; bit 1 W: a write; bit 2 U: from user mode;
 * bit 3 RSVD: reserved bits set) and {@code value} is CR2.
 *
 * @param cause the cause register or error code
 * @param value the faulting address register
 */
public record Trap(long cause, long value) {
}
