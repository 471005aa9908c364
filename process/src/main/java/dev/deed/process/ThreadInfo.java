package dev.deed.process;

/**
 * A snapshot of one thread of a process: what {@code /proc/PID/task/TID} shows.
 *
 * @param tid         its id (from the same number space as pids; the main thread's is the pid)
 * @param name        the process's name
 * @param stateCode   {@code R} running or runnable, {@code S} blocked
 * @param utime       ticks in its body
 * @param stime       ticks in the kernel on its behalf
 * @param startTick   the tick it was created at
 * @param voluntary   switches away because it blocked
 * @param involuntary switches away because it yielded or was preempted
 * @param cpu         the CPU it last ran on
 */
public record ThreadInfo(int tid, String name, char stateCode, long utime, long stime, long startTick, long voluntary,
                         long involuntary, int cpu) {
}
