package dev.deed.task;

/** The code a task runs. It may block (through its {@link TaskContext}) and may throw: a throw ends the task. */
@FunctionalInterface
public interface TaskBody {
    void run(TaskContext ctx) throws Exception;
}
