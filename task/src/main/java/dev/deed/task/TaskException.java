package dev.deed.task;

/** A refused task or stack operation, or a fault the task model detected. */
public abstract sealed class TaskException extends RuntimeException
        permits StackInUseException, KernelStackOverflowException, ContextCorruptedException, TaskStateException {
    private static final long serialVersionUID = 1L;

    TaskException(String message) {
        super(message);
    }
}
