package dev.deed.task;

/**
 * What the scheduler knows about one task, by id, in clock ticks ({@link Scheduler#HZ} per second of
 * simulated time): the figures /proc shows per thread.
 *
 * @param tid         the task's id
 * @param name        its name
 * @param state       its state now
 * @param utime       ticks charged to its body
 * @param stime       ticks charged to the kernel on its behalf (syscalls)
 * @param startTick   the tick it was created at
 * @param voluntary   switches away because it blocked
 * @param involuntary switches away because it yielded or was preempted
 * @param cpu         the CPU it last ran on
 */
public record TaskTimes(int tid, String name, TaskState state, long utime, long stime, long startTick, long voluntary,
                        long involuntary, int cpu) {
}
