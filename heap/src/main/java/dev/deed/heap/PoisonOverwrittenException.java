package dev.deed.heap;

/** A freed block was written after its free: found when the block was about to be handed out again. */
public final class PoisonOverwrittenException extends HeapException {
    private static final long serialVersionUID = 1L;

    PoisonOverwrittenException(String message) {
        super(message);
    }
}
