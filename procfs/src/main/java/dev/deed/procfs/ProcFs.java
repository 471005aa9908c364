package dev.deed.procfs;

import dev.deed.frame.FrameAllocator;
import dev.deed.heap.KernelHeap;
import dev.deed.process.Errno;
import dev.deed.process.FileStat;
import dev.deed.process.FileSystem;
import dev.deed.process.ProcessInfo;
import dev.deed.process.ProcessTable;
import dev.deed.process.SyscallException;
import dev.deed.process.ThreadInfo;
import dev.deed.task.Scheduler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The /proc file system, laid out and formatted as Linux's, so that Linux tools read it. Holds the
 * kernel's tables, never a process: every lookup is by pid and renders a snapshot (B4).
 */
public final class ProcFs implements FileSystem {
    private static final List<String> PID_ENTRIES = List.of("cmdline", "cwd", "environ", "fd", "io", "maps", "root", "smaps",
            "smaps_rollup", "stat", "statm", "status", "task");
    private static final List<String> THREAD_ENTRIES = List.of("stat", "status");

    private final ProcessTable processes;
    private final SystemFiles system;
    private final ProcessFiles perProcess;

    /**
     * A /proc over the machine's frames, the kernel heap, the pid table and the scheduler;
     * {@code mmu} names the paging format (for cpuinfo).
     */
    public ProcFs(FrameAllocator frames, KernelHeap heap, ProcessTable processes, Scheduler scheduler, String mmu) {
        this.processes = processes;
        this.system = new SystemFiles(frames, heap, processes, scheduler, mmu);
        this.perProcess = new ProcessFiles(processes, heap.config().pointerBytes(), scheduler.cpuCount());
    }

    @Override
    public List<String> list(String path, int callerPid) {
        Node node = resolve(path, callerPid, true);
        if (node instanceof Node.Dir dir) {
            return dir.entries().get();
        }
        throw new SyscallException(Errno.ENOTDIR, "not a directory: " + ProcPath.abbreviated(path));
    }

    @Override
    public String read(String path, int callerPid) {
        Node node = resolve(path, callerPid, true);
        if (node instanceof Node.File file) {
            return file.content().get();
        }
        throw new SyscallException(Errno.EISDIR, "is a directory: " + ProcPath.abbreviated(path));
    }

    @Override
    public FileStat stat(String path, int callerPid) {
        return switch (resolve(path, callerPid, false)) {
            case Node.Dir d -> FileStat.directory();
            case Node.File f -> FileStat.file(f.content().get().getBytes(StandardCharsets.UTF_8).length);
            case Node.Link l -> FileStat.link(l.target());
        };
    }

    /** Walks {@code path} from /proc, following links on the way (and at the end if {@code followLast}). */
    private Node resolve(String path, int callerPid, boolean followLast) {
        List<String> parts = ProcPath.below(path);
        Node node = root(callerPid);
        for (int i = 0; i < parts.size(); i++) {
            node = follow(node, path, callerPid);
            if (!(node instanceof Node.Dir dir)) {
                throw new SyscallException(Errno.ENOTDIR, "not a directory: /proc/" + String.join("/", parts.subList(0, i))
                        + " (in " + ProcPath.abbreviated(path) + ")");
            }
            Node next = dir.child().apply(parts.get(i));
            if (next == null) {
                throw new SyscallException(Errno.ENOENT, "no such file or directory: " + ProcPath.abbreviated(path));
            }
            node = next;
        }
        return followLast ? follow(node, path, callerPid) : node;
    }

    /** A link's target node (targets inside /proc are relative to it); anything else as it is. */
    private Node follow(Node node, String path, int callerPid) {
        if (node instanceof Node.Link link) {
            if (link.target().startsWith("/")) {
                throw new SyscallException(Errno.ENOENT, ProcPath.abbreviated(path) + " links to " + link.target()
                        + ", outside procfs (the only file system mounted)");
            }
            return resolve("/proc/" + link.target(), callerPid, true);
        }
        return node;
    }

    // ---- the tree ----

    private Node root(int callerPid) {
        Map<String, Supplier<Node>> top = system.files();
        return new Node.Dir(() -> {
            List<String> entries = new ArrayList<>();
            processes.pids().forEach(pid -> entries.add(Integer.toString(pid)));
            entries.addAll(top.keySet());
            entries.add("self");
            return entries;
        }, name -> {
            if (name.equals("self")) {
                return new Node.Link(Integer.toString(callerPid));
            }
            Supplier<Node> file = top.get(name);
            if (file != null) {
                return file.get();
            }
            Integer pid = number(name);
            if (pid == null) {
                return null;
            }
            if (processes.procEntry(pid).isPresent()) {
                return processDir(pid);
            }
            Integer owner = processes.processOfThread(pid).orElse(null); // /proc/TID: not listed, but there, as on Linux
            return owner == null ? null : taskDir(owner).child().apply(name);
        });
    }

    private Node processDir(int pid) {
        return new Node.Dir(() -> alive(pid) ? PID_ENTRIES
                : PID_ENTRIES.stream().filter(e -> !e.equals("cwd") && !e.equals("root")).toList(), name -> switch (name) {
            case "task" -> taskDir(pid);
            case "fd" -> new Node.Dir(List::of, fd -> null); // Deed has no file descriptors
            case "cwd", "root" -> alive(pid) ? new Node.Link("/") : null; // a zombie's links are gone, as on Linux
            default -> PID_ENTRIES.contains(name) ? new Node.File(() -> perProcess.render(name, snapshot(pid))) : null;
        });
    }

    private Node.Dir taskDir(int pid) {
        return new Node.Dir(() -> snapshot(pid).tasks().stream().map(t -> Integer.toString(t.tid())).toList(), name -> {
            Integer tid = number(name);
            if (tid == null || snapshot(pid).tasks().stream().noneMatch(t -> t.tid() == tid)) {
                return null;
            }
            return new Node.Dir(() -> THREAD_ENTRIES, file -> THREAD_ENTRIES.contains(file)
                    ? new Node.File(() -> perProcess.renderThread(file, snapshot(pid), thread(pid, tid))) : null);
        });
    }

    private boolean alive(int pid) {
        return processes.procEntry(pid).map(p -> p.stateCode() != 'Z').orElse(false);
    }

    private ProcessInfo snapshot(int pid) {
        return processes.procEntry(pid).orElseThrow(() -> new SyscallException(Errno.ENOENT, "no such process: " + pid
                + " (it was reaped)"));
    }

    private ThreadInfo thread(int pid, int tid) {
        return snapshot(pid).tasks().stream().filter(t -> t.tid() == tid).findFirst()
                .orElseThrow(() -> new SyscallException(Errno.ENOENT, "no such thread: " + tid + " of process " + pid));
    }

    /** A decimal pid as Linux writes it (no sign, no leading zero), or null. */
    private static @Nullable Integer number(String name) {
        if (name.isEmpty() || name.length() > 9 || name.charAt(0) == '0') {
            return null;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return null;
            }
        }
        return Integer.valueOf(name);
    }
}
