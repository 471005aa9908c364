package dev.deed.task;

/** A switch found the incoming task's saved context unreadable or overwritten (its stack was freed): a kernel panic. */
public final class ContextCorruptedException extends TaskException {
    private static final long serialVersionUID = 1L;

    ContextCorruptedException(String message) {
        super(message);
    }
}
