package dev.deed.process;

import java.util.List;

/**
 * A snapshot of one process, taken by pid: what /proc shows. Holds values only, never the process.
 * Times are in clock ticks ({@code Scheduler.HZ} per second of simulated time).
 *
 * @param pid          its pid (its main thread's id too)
 * @param ppid         its parent's pid
 * @param pgid         its process group (inherited; init's is 1)
 * @param sid          its session (inherited; init leads it)
 * @param name         its name ({@code comm})
 * @param stateCode    Linux's state letter: {@code R} running or runnable, {@code S} sleeping, {@code Z} zombie
 * @param state        running or zombie
 * @param threads      live threads (a zombie shows 1, as on Linux)
 * @param vmSize       bytes mapped
 * @param vmPeak       the most bytes it has had mapped
 * @param rss          bytes resident: pages in memory (demand-zero pages come at their first touch; a
 *                     page shared copy-on-write counts in every process that maps it)
 * @param argv         its command line
 * @param areas        its mappings, in address order
 * @param exitStatus   its exit status (a zombie's is final)
 * @param debugCmdline the command line as its kernel-heap buffer holds it
 * @param startTick    the tick it was created at
 * @param utime        ticks in its threads' bodies, the ended ones included
 * @param stime        ticks in the kernel on its threads' behalf
 * @param cutime       user ticks of the children it reaped
 * @param cstime       system ticks of the children it reaped
 * @param tasks        its live threads, main thread first
 * @param pageTableBytes bytes of its page-table nodes
 * @param reads        file reads it made, and the bytes they returned
 * @param readBytes    bytes those reads returned
 */
public record ProcessInfo(int pid, int ppid, int pgid, int sid, String name, char stateCode, ProcessState state, int threads,
                          long vmSize, long vmPeak, long rss, List<String> argv, List<VmArea> areas, int exitStatus,
                          String debugCmdline, long startTick, long utime, long stime, long cutime, long cstime,
                          List<ThreadInfo> tasks, long pageTableBytes, long reads, long readBytes) {
    public ProcessInfo {
        argv = List.copyOf(argv);
        areas = List.copyOf(areas);
        tasks = List.copyOf(tasks);
    }
}
