package dev.deed.task;

/** A write below a task's kernel stack hit the guard page. */
public final class KernelStackOverflowException extends TaskException {
    private static final long serialVersionUID = 1L;

    KernelStackOverflowException(String message) {
        super(message);
    }
}
