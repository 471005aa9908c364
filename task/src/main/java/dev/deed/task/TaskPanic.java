package dev.deed.task;

/**
 * A task the kernel stopped because switching it out or in, exiting it or freeing its stack failed
 * (a corrupted or unmapped stack, say): the task's panic, reported while the CPU went on to the next.
 *
 * @param tid   the task's id
 * @param task  its name
 * @param point where it failed: "saving its context on a switch", "saving its context on exit",
 *              "restoring its context" or "freeing its kernel stack"
 * @param cause what failed
 */
public record TaskPanic(int tid, String task, String point, RuntimeException cause) {
    @Override
    public String toString() {
        return "task '" + task + "' (tid " + tid + "): panic " + point + ": " + cause.getMessage();
    }
}
