package dev.deed.heap;

/** A rejected heap operation; whatever was rejected changed nothing. */
public abstract sealed class HeapException extends RuntimeException
        permits BadHeapFreeException, PoisonOverwrittenException, LiveChildrenException, RevokedBlockException {
    private static final long serialVersionUID = 1L;

    HeapException(String message) {
        super(message);
    }
}
