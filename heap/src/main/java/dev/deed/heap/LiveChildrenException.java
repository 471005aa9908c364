package dev.deed.heap;

/** A free of a block that still owns a live child (B1's wrong order); nothing was freed. */
public final class LiveChildrenException extends HeapException {
    private static final long serialVersionUID = 1L;

    LiveChildrenException(String message) {
        super(message);
    }
}
