package dev.deed.task;

/**
 * Live counts, for leak checks (B4).
 *
 * @param tasks           tasks in the task table (not yet released), idle tasks excluded
 * @param zombies         of those, exited and awaiting release
 * @param stacks          kernel stacks allocated
 * @param stackFrames     frames tagged KERNEL_STACK
 * @param idleReferences  structures holding an idle task (its CPU slot, run queues, previous-task slots): must stay 1 per CPU
 */
public record Census(int tasks, int zombies, int stacks, long stackFrames, int idleReferences) {
}
