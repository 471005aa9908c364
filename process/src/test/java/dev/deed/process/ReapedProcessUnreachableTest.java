package dev.deed.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.heap.HeapConfig;
import dev.deed.heap.KernelHeap;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.PageTable;
import dev.deed.paging.PagingFormats;
import dev.deed.task.RunResult;
import dev.deed.task.Scheduler;
import dev.deed.task.SchedulerConfig;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * B4 as Asterinas fixed it: the pid index holds weak references and the parent owns its children,
 * so a process that was reaped is unreachable through every index — even while /proc listings and
 * reads run alongside the reaping — and, once its owner dropped it, nothing at all keeps it: the
 * garbage collector takes it.
 */
class ReapedProcessUnreachableTest {
    private static final int CHILDREN = 12;

    /** What procfs does, through the same calls: list the pids, then read each one's entry. */
    private static final class ProcReader implements FileSystem {
        private final ProcessTable table;
        int reads;

        ProcReader(ProcessTable table) {
            this.table = table;
        }

        @Override
        public List<String> list(String path, int callerPid) {
            return table.pids().stream().map(String::valueOf).toList();
        }

        @Override
        public String read(String path, int callerPid) {
            int pid = Integer.parseInt(path.substring("/proc/".length()));
            reads++;
            return table.procEntry(pid).map(ProcessInfo::name).orElseThrow(
                    () -> new SyscallException(Errno.ENOENT, path + ": no such process"));
        }

        @Override
        public FileStat stat(String path, int callerPid) {
            return FileStat.file(read(path, callerPid).length());
        }
    }

    @Test
    void aReapedProcessIsUnreachableThroughEveryIndexAndCollected() {
        FrameAllocator frames = FrameAllocator.boot(Machine.defaultFor("riscv64", 64L << 20));
        PageTable<KernelSpace> kernel = PageTable.kernel(PagingFormats.named("sv39"), frames);
        KernelHeap heap = KernelHeap.create(frames, HeapConfig.forMachine(frames.machine()));
        Scheduler scheduler = Scheduler.create(SchedulerConfig.defaults(), frames, kernel);
        ProcessTable table = new ProcessTable(frames, heap, scheduler, kernel);
        ProcReader proc = new ProcReader(table);
        table.mount(proc);

        List<WeakReference<Process>> reaped = new ArrayList<>();
        List<Integer> reapedPids = new ArrayList<>();
        List<String> stillReachable = new ArrayList<>();
        table.startInit(Program.of("init", sys -> {
            int walker = sys.fork(w -> { // ls /proc and cat /proc/<pid> in a loop, while init reaps
                for (int round = 0; round < 40; round++) {
                    for (String pid : w.list("/proc")) {
                        try {
                            w.read("/proc/" + pid);
                        } catch (SyscallException gone) {
                            // reaped between the listing and the read: ENOENT, as on Linux
                        }
                    }
                    w.yieldNow();
                }
            });
            for (int i = 0; i < CHILDREN; i++) {
                int pid = sys.fork(c -> {
                    c.yieldNow();
                    c.exit(7);
                });
                reaped.add(new WeakReference<>(table.lookup(pid)));
                reapedPids.add(pid);
            }
            for (int pid : reapedPids) {
                assertEquals(7, sys.waitpid(pid).status());
                if (table.info(pid).isPresent() || table.procEntry(pid).isPresent() || table.pids().contains(pid)
                        || table.lookup(pid) != null || table.lookup(1).childPids().contains(pid)) {
                    stillReachable.add("pid " + pid);
                }
                sys.yieldNow(); // let the walker list and read right after each reap
            }
            sys.waitpid(walker);
            sys.exit(0);
        }));
        RunResult r = scheduler.run();
        assertEquals(List.of(), r.failures());
        assertEquals(List.of(), stillReachable, "reaped processes still reachable through an index");
        assertTrue(proc.reads > CHILDREN, "/proc was read while the reaping went on: " + proc.reads + " reads");
        table.reapInit();

        for (int attempt = 0; attempt < 50 && reaped.stream().anyMatch(w -> w.get() != null); attempt++) {
            System.gc();
            byte[][] pressure = new byte[64][];
            for (int i = 0; i < pressure.length; i++) {
                pressure[i] = new byte[1 << 16];
            }
            assertFalse(pressure[63].length == 0);
        }
        for (WeakReference<Process> w : reaped) {
            assertNull(w.get(), "a reaped process is still strongly held somewhere");
        }
        scheduler.shutdown();
        kernel.destroy().flush();
    }
}
