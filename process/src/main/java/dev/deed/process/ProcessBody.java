package dev.deed.process;

/** Code a process thread runs: a program's entry, a forked child's body, a thread's body. */
@FunctionalInterface
public interface ProcessBody {
    void run(Sys sys) throws Exception;
}
