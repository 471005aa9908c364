package dev.deed.paging;

/** A process's address space: maps only tracked frames. Never instantiated. */
public final class UserSpace implements SpaceKind {
    private UserSpace() {
    }
}
