package dev.deed.task;

/** An operation the task's state does not allow (releasing a live task, using a context outside its task, …). */
public final class TaskStateException extends TaskException {
    private static final long serialVersionUID = 1L;

    TaskStateException(String message) {
        super(message);
    }
}
