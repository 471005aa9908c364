package dev.deed.frame.spi;

import dev.deed.frame.MemRegion;
import java.util.List;

/**
 * An architecture's memory layout — what xv6 keeps in {@code memlayout.h}: where RAM starts and
 * what in it is reserved, how far physical addresses reach, the pointer width, and where the kernel
 * puts things in virtual memory (the user/kernel split, the kernel image, the kernel stacks, device
 * mappings). An arch module provides one through {@link java.util.ServiceLoader}; every other module
 * reads these numbers from here and names no architecture itself.
 *
 * <p>Virtual addresses must be valid in every paging format of the architecture (for RISC-V, in
 * Sv39's halves, which Sv48's contain).
 */
public interface MemoryLayout {
    /** The architecture's name, as {@code --arch} takes it and as its context layout and paging formats give it. */
    String arch();

    /** The paging format a kernel uses when none is named ({@code --paging}). */
    String defaultPaging();

    /** First byte of RAM, page-aligned. */
    long ramBase();

    /** End (exclusive) of the physical addresses the architecture's paging can reach: RAM must end at or below it. */
    long physicalLimit();

    /** The ranges inside RAM [ramBase, ramBase + ramSize) the allocator never hands out (firmware, the kernel image). */
    List<MemRegion> reserved(long ramSize);

    /** Bytes in a pointer: what a poisoned pointer field reads back as depends on it. */
    int pointerBytes();

    /** End (exclusive) of user space: the user stack goes right below it, behind a guard page. */
    long userTop();

    /** Where anonymous mappings start when the caller gives no hint. */
    long mmapBase();

    /** The virtual address the first reserved byte of RAM is mapped at (the kernel image, in the kernel half). */
    long kernelImageBase();

    /** Start of the kernel-stack area (stacks and their guard pages, slot by slot, upwards). */
    long kernelStackArea();

    /** Bytes of the kernel-stack area: a stack that would end past it is refused. */
    long kernelStackAreaSize();

    /** Start of the kernel's device-mapping area (MMIO mapped untracked, as ioremap does). */
    long deviceArea();

    /** A physical address of device memory outside RAM (where the board's devices sit), for mapping MMIO. */
    long devicePhysical();
}
