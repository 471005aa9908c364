package dev.deed.heap;

/** Use of a block handle after its block was freed. */
public final class RevokedBlockException extends HeapException {
    private static final long serialVersionUID = 1L;

    RevokedBlockException(String message) {
        super(message);
    }
}
