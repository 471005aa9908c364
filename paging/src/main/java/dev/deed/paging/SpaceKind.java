package dev.deed.paging;

/** What an address space is for: a phantom type argument of {@link PageTable}. */
public sealed interface SpaceKind permits KernelSpace, UserSpace {
}
