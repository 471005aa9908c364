package dev.deed.kernel.cli;

import dev.deed.kernel.boot.KernelConfig;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.MemoryLayouts;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.PlantedBug;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.PageTable;
import dev.deed.paging.PagingFormats;
import dev.deed.paging.VirtAddr;
import dev.deed.task.RunResult;
import dev.deed.task.Scheduler;
import dev.deed.task.SchedulerConfig;
import dev.deed.task.StackInUseException;
import dev.deed.task.TaskHandle;
import org.checkerframework.checker.nullness.qual.Nullable;

/** B2 for {@code deed bugs}: the exit path's own-stack free refused, the kernel table guarded, the CPU always handed on. */
final class B2Evidence {
    private B2Evidence() {
    }

    static Evidence run() throws OutOfFramesException {
        Evidence e = new Evidence("B2", "rCore #144: the exiting main thread freed its own kernel stack (tasks.clear()) while"
                + " running on it", "a task has no handle to its own stack; freeing or unmapping a live stack is refused; stacks"
                + " are freed after the switch; a failed switch or exit is a reported panic, never a hang");
        FrameAllocator frames = FrameAllocator.boot(Machine.defaultFor(KernelConfig.DEFAULT_ARCH, 64L << 20));
        PageTable<KernelSpace> kernel = PageTable.kernel(PagingFormats.named(MemoryLayouts.forArch(KernelConfig.DEFAULT_ARCH).defaultPaging()), frames);
        try {
            ownStack(e, frames, kernel);
        } finally {
            kernel.destroy().flush(); // its stacks were unmapped, and flushed from the CPU's TLB, as they were freed
        }
        FrameAllocator plantedFrames = FrameAllocator.boot(Machine.defaultFor(KernelConfig.DEFAULT_ARCH, 64L << 20));
        plantedFrames.faults().plant(PlantedBug.B2);
        PageTable<KernelSpace> plantedKernel = PageTable.kernel(PagingFormats.named(MemoryLayouts.forArch(KernelConfig.DEFAULT_ARCH).defaultPaging()), plantedFrames);
        try {
            Scheduler planted = Scheduler.create(SchedulerConfig.defaults(), plantedFrames, plantedKernel);
            planted.spawnDetached("exiting", ctx -> { });
            planted.spawnDetached("next", ctx -> { });
            RunResult r = planted.run();
            e.layer("never hangs (B2 planted: every exit frees its own stack)", r.panics().size() == 2 && r.blocked().isEmpty()
                    ? "run() returned; both exits were reported as panics and the CPU went on: " + r.panics().get(0) : null);
        } finally {
            plantedKernel.destroy().flush();
        }
        return e;
    }

    /** rCore's exit path, and kernel code unmapping its own stack page: both refused; the reaper frees the stack after the switch. */
    private static void ownStack(Evidence e, FrameAllocator frames, PageTable<KernelSpace> kernel) throws OutOfFramesException {
        Scheduler cpu = Scheduler.create(SchedulerConfig.defaults(), frames, kernel);
        TaskHandle[] threads = new TaskHandle[1]; // rCore's process.tasks, which tasks.clear() dropped on the exit path
        @Nullable String[] refused = new String[2];
        TaskHandle main = cpu.spawn("main", ctx -> {
            refused[0] = Evidence.refusal(StackInUseException.class, () -> {
                for (TaskHandle t : threads) {
                    t.release();
                }
            });
            long page = ctx.stackPointer() - 1 & -4096L;
            refused[1] = Evidence.refusal(StackInUseException.class, () -> kernel.unmap(VirtAddr.of(page), 4096).flush());
        });
        threads[0] = main;
        cpu.run();
        e.layer("run time (the exit path frees the thread list, its own included)", refused[0]);
        e.layer("run time (kernel code unmaps the page it is running on)", refused[1]);
        int before = cpu.census().stacks();
        main.release();
        e.layer("after the switch", before == 1 && cpu.census().stacks() == 0
                ? "the zombie kept its stack until the reaper released it: 1 -> 0 stacks" : null);
    }
}
