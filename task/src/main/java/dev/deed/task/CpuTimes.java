package dev.deed.task;

/**
 * One CPU's clock ticks by what it did, as {@code /proc/stat}'s {@code cpu} lines count them.
 *
 * @param cpu      the CPU's number
 * @param user     ticks in task bodies
 * @param system   ticks in the kernel on a task's behalf
 * @param idle     ticks with nothing to run
 * @param switches context switches
 */
public record CpuTimes(int cpu, long user, long system, long idle, long switches) {
}
