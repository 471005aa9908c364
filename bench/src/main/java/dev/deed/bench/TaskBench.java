package dev.deed.bench;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.PageTable;
import dev.deed.paging.PagingFormats;
import dev.deed.task.Scheduler;
import dev.deed.task.SchedulerConfig;
import dev.deed.task.TaskBody;
import dev.deed.task.TaskHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Tasks (issue targets: spawn + run to exit + release of a task with a 16 KiB stack ≤ 2 µs; a yield
 * between two tasks, context frames written and read, ≤ 1 µs), against {@link #floor}: calling a task
 * body directly, with no scheduling at all.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = "-Djdk.virtualThreadScheduler.parallelism=1")
public class TaskBench {
    static final int YIELDS = 1000;

    @State(Scope.Thread)
    public static class Cpu {
        @Param({"riscv64", "i386"})
        public String arch;

        @Param({"1", "2"})
        public int cpus;

        Scheduler scheduler;
        final TaskBody empty = ctx -> { };
        final TaskBody yielder = ctx -> {
            for (int i = 0; i < YIELDS; i++) {
                ctx.yieldNow();
            }
        };

        @Setup(Level.Trial)
        public void boot() {
            FrameAllocator frames = FrameAllocator.boot(Machine.defaultFor(arch, 256L << 20).withCpus(cpus));
            PageTable<KernelSpace> kernel = PageTable.kernel(PagingFormats.named(arch.equals("i386") ? "i386" : "sv39"), frames);
            scheduler = Scheduler.create(SchedulerConfig.defaults(), frames, kernel);
        }
    }

    @Benchmark
    public int floor(Cpu cpu) throws Exception {
        cpu.empty.run(null);
        return 1;
    }

    @Benchmark
    public long spawnRunRelease(Cpu cpu) {
        TaskHandle task = cpu.scheduler.spawn("t", cpu.empty);
        long switches = cpu.scheduler.run().switches();
        task.release();
        return switches;
    }

    /**
     * The same lifecycle inside a running kernel: a parent task spawns a child (16 KiB stack), yields
     * so it runs to its exit, and releases it — no thread outside the simulated CPU involved.
     */
    @Benchmark
    @OperationsPerInvocation(YIELDS)
    public long spawnRunReleaseFromTask(Cpu cpu) {
        cpu.scheduler.spawnDetached("parent", ctx -> {
            for (int i = 0; i < YIELDS; i++) {
                TaskHandle child = ctx.spawn("child", cpu.empty);
                ctx.yieldNow();
                ctx.release(child);
            }
        });
        return cpu.scheduler.run().switches();
    }

    /** Two tasks yielding to each other: per yield (one context frame written, one read, one baton handoff). */
    @Benchmark
    @OperationsPerInvocation(2 * YIELDS)
    public long yieldBetweenTwoTasks(Cpu cpu) {
        cpu.scheduler.spawnDetached("ping", cpu.yielder);
        cpu.scheduler.spawnDetached("pong", cpu.yielder);
        return cpu.scheduler.run().switches();
    }
}
