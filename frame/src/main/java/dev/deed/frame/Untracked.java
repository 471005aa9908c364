package dev.deed.frame;

/** Memory the allocator does not own (MMIO, firmware, the kernel image): never returned to it. Never instantiated. */
public final class Untracked implements Tracking {
    private Untracked() {
    }
}
