package dev.deed.kernel.soak;

import dev.deed.frame.OutOfFramesException;
import dev.deed.kernel.boot.Kernel;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.kernel.boot.ResourceReport;
import dev.deed.kernel.boot.RunObserver;
import dev.deed.process.Errno;
import dev.deed.process.Program;
import dev.deed.process.Sys;
import dev.deed.process.SyscallException;
import dev.deed.task.RunResult;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A running kernel to talk to from outside: booted, with init serving commands (its main thread
 * waits in {@code pause()} for the next one, runs it inside the kernel, and waits again). For
 * {@code ./deed shell} and for any program that wants to drive a kernel step by step:
 *
 * <pre>{@code
 * try (Session s = Session.boot(KernelConfig.of("riscv64", 64L << 20))) {
 *     int child = s.run(sys -> sys.fork(c -> c.exit(7)));   // runs as init; the child runs too
 *     System.out.println(s.proc("/proc/" + child + "/status"));
 *     System.out.println(s.run(sys -> sys.waitpid(child)));  // reaps it
 * }                                                          // reaps everything, shuts down
 * }</pre>
 */
public final class Session implements AutoCloseable {
    /** Something to run as a process thread; a refusal is a {@link SyscallException} like any syscall's. */
    @FunctionalInterface
    public interface Call<T> {
        T run(Sys sys) throws Exception;
    }

    final Kernel kernel;
    final Agents agents = new Agents();
    /** What the kernel held right after boot (caches settled). */
    final ResourceReport baseline;
    private final int initTid;
    private final RunObserver observer;
    private boolean closed;

    @SuppressWarnings("required.method.not.called") // the session owns its kernel; close() shuts it down
    Session(KernelConfig config, RunObserver observer) throws OutOfFramesException {
        this.observer = observer;
        kernel = Kernel.boot(config);
        kernel.settle();
        baseline = kernel.report();
        observer.booted(kernel);
        requireClean(kernel.run(Program.of("init", agents.main())));
        initTid = agents.mainThreadOf(1);
    }

    /** Boots a kernel with {@code config}; init waits for the first {@link #run}. */
    public static Session boot(KernelConfig config) throws OutOfFramesException {
        return new Session(config, RunObserver.NONE);
    }

    public Kernel kernel() {
        return kernel;
    }

    /**
     * Runs {@code call} as init, then lets every runnable task run until the CPU is idle (children it
     * forked run now), and returns the call's result. A refused syscall is thrown back as it was.
     */
    @SuppressWarnings("unchecked") // the agent stores the call's own result, of type T
    public <T> @Nullable T run(Call<T> call) {
        Object result = command(initTid, sys -> {
            T value = call.run(sys);
            return value == null ? Agents.NO_VALUE : value;
        });
        if (result instanceof SyscallException e) {
            throw new SyscallException(e.errno(), String.valueOf(e.getMessage()).replaceFirst("^[A-Z]+: ", ""));
        }
        if (result instanceof Exception e) {
            throw new IllegalStateException("the call failed: " + e.getMessage(), e);
        }
        return result == Agents.NO_VALUE ? null : (T) result;
    }

    /** Reads a /proc file as init would ({@code /proc/self} is init). */
    public String proc(String path) {
        return kernel.procfs().read(path, 1);
    }

    /** What the kernel holds now against right after boot, one line per resource (caches settled first). */
    public String report() {
        kernel.settle();
        return kernel.report().compareTo(baseline);
    }

    /** Posts a command to thread {@code tid}, wakes it, runs the CPU until idle, returns the command's result. */
    @Nullable Object command(int tid, Agents.Command command) {
        agents.post(tid, command);
        kernel.processes().wake(tid);
        requireClean(kernel.scheduler().run());
        return agents.result(tid);
    }

    /**
     * Ends every process (SIGKILL, reaped by init), then init, and shuts the kernel down, whatever
     * state it is in; once. A kernel whose init is already gone is only shut down.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (kernel.processes().pids().contains(1)) {
                command(initTid, sys -> {
                    for (int pid : kernel.processes().pids()) {
                        if (pid != 1) {
                            try {
                                sys.kill(pid);
                            } catch (SyscallException alreadyZombie) {
                                // a zombie is reaped below like the rest
                            }
                        }
                    }
                    return reapAllAndExit(sys);
                });
                kernel.processes().reapInit();
            }
        } finally {
            try {
                kernel.settle();
                observer.ended(kernel);
            } finally {
                kernel.shutdown();
            }
        }
    }

    /** Run as init: reaps every child until none is left (ECHILD), then exits; does not return. */
    static Object reapAllAndExit(Sys sys) {
        while (true) {
            try {
                sys.waitpid(-1);
            } catch (SyscallException e) {
                if (e.errno() == Errno.ECHILD) {
                    break;
                }
                throw e;
            }
        }
        sys.exit(0);
        return "unreachable";
    }

    private static void requireClean(RunResult r) {
        if (!r.failures().isEmpty()) {
            throw new IllegalStateException("the kernel failed: " + r.failures(), r.panics().isEmpty() ? null : r.panics().get(0).cause());
        }
    }
}
