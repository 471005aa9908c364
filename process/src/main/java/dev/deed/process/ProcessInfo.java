package dev.deed.process;

import java.util.List;

/**
 * A snapshot of one process, taken by pid: what /proc shows. Holds values only, never the process.
 *
 * @param debugCmdline the command line as its kernel-heap buffer holds it
 */
public record ProcessInfo(int pid, int ppid, String name, ProcessState state, int threads, long vmSize, long rss,
                          List<String> argv, List<VmArea> areas, int exitStatus, String debugCmdline) {
    public ProcessInfo {
        argv = List.copyOf(argv);
        areas = List.copyOf(areas);
    }
}
