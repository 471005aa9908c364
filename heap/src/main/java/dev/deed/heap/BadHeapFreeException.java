package dev.deed.heap;

/** A free of an address no heap owns, of the inside of a block, or of a block already free. */
public final class BadHeapFreeException extends HeapException {
    private static final long serialVersionUID = 1L;

    BadHeapFreeException(String message) {
        super(message);
    }
}
