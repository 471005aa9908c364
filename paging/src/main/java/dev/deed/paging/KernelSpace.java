package dev.deed.paging;

/** The kernel's address space: may map untracked memory (MMIO, the kernel image). Never instantiated. */
public final class KernelSpace implements SpaceKind {
    private KernelSpace() {
    }
}
