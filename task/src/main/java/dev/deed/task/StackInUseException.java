package dev.deed.task;

/** A request to free a kernel stack that a CPU is running on (B2): refused, nothing freed. */
public final class StackInUseException extends TaskException {
    private static final long serialVersionUID = 1L;

    StackInUseException(String message) {
        super(message);
    }
}
