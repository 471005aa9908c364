package dev.deed.kernel.soak;

import dev.deed.process.ProcessBody;
import dev.deed.process.Sys;
import dev.deed.process.SyscallException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Process threads that do what they are told: each waits in {@code pause()} for a command in its
 * mailbox, runs it, records the result, and waits again. The driver posts a command and wakes the
 * thread; the command runs inside the kernel, on that thread.
 */
final class Agents {
    /** A command run by an agent thread; returns a result, or throws a SyscallException recorded as the result. */
    @FunctionalInterface
    interface Command {
        Object run(Sys sys) throws Exception;
    }

    /** The result recorded for a command that returned nothing. */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "ok";
        }
    };

    private final Map<Integer, ArrayDeque<Command>> mailboxes = new HashMap<>();
    /** pid → tid of the process's main agent thread, registered by the thread itself when it starts. */
    final Map<Integer, Integer> mainThread = new HashMap<>();
    /** tid → the last command's result (a value, or the SyscallException). */
    final Map<Integer, Object> results = new HashMap<>();
    /** tid → the pid it belongs to, for every agent thread. */
    final Map<Integer, Integer> owner = new HashMap<>();

    /** The body of a main agent thread (init, forked children, exec'd programs). */
    ProcessBody main() {
        return sys -> {
            mainThread.put(sys.getpid(), sys.gettid());
            serve(sys);
        };
    }

    /** The body of an extra thread. */
    ProcessBody thread() {
        return this::serve;
    }

    /** The main agent thread of {@code pid}, which must have registered. */
    int mainThreadOf(int pid) {
        Integer tid = mainThread.get(pid);
        if (tid == null) {
            throw new IllegalStateException("process " + pid + " has no agent thread");
        }
        return tid;
    }

    void post(int tid, Command command) {
        mailboxes.computeIfAbsent(tid, t -> new ArrayDeque<>()).add(command);
        results.remove(tid);
    }

    @Nullable Object result(int tid) {
        return results.get(tid);
    }

    private void serve(Sys sys) {
        int tid = sys.gettid();
        owner.put(tid, sys.getpid());
        while (true) {
            Command next = mailboxes.computeIfAbsent(tid, t -> new ArrayDeque<>()).poll();
            if (next == null) {
                sys.pause();
                continue;
            }
            try {
                Object result = next.run(sys);
                results.put(tid, result == null ? NO_VALUE : result);
            } catch (SyscallException e) {
                results.put(tid, e);
            } catch (Exception e) {
                results.put(tid, new IllegalStateException("command failed: " + e, e));
            }
        }
    }
}
