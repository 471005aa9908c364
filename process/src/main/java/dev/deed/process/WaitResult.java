package dev.deed.process;

/** What waitpid returns: the reaped child and its exit status, or pid 0 with WNOHANG and nothing to reap. */
public record WaitResult(int pid, int status) {
    public static final WaitResult NONE = new WaitResult(0, 0);
}
