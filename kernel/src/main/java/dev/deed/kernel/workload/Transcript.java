package dev.deed.kernel.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** What a workload says as it runs: syscalls with their results, /proc excerpts, notes. */
public final class Transcript {
    private final List<String> lines = new ArrayList<>();
    private final Consumer<String> sink;
    private final boolean verbose;

    /** Lines go to {@code sink} as they come (and are kept); with {@code verbose} off only notes and sections are shown. */
    public Transcript(Consumer<String> sink, boolean verbose) {
        this.sink = sink;
        this.verbose = verbose;
    }

    public static Transcript quiet() {
        return new Transcript(line -> { }, false);
    }

    /** One syscall, the CPU it was made on, and its result. */
    void call(int pid, int cpu, String call, Object result) {
        if (verbose) {
            emit(String.format("  cpu%d [pid %d] %s = %s", cpu, pid, call, result));
        }
    }

    /** A line of commentary. */
    public void note(String text) {
        emit(text);
    }

    /** A titled block (a /proc file, a listing). */
    public void section(String title, String body) {
        emit("── " + title);
        body.lines().forEach(l -> emit("   " + l));
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    private void emit(String line) {
        lines.add(line);
        sink.accept(line);
    }
}
