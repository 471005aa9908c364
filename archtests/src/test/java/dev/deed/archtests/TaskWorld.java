package dev.deed.archtests;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.PageTable;
import dev.deed.task.Scheduler;
import dev.deed.task.SchedulerConfig;
import java.util.List;

/** A booted machine with a kernel page table and a scheduler, for task tests on both architectures. */
record TaskWorld(FrameAllocator frames, PageTable<KernelSpace> kernel, Scheduler scheduler) {

    static List<String> arches() {
        return List.of("riscv64", "i386", "x86_64");
    }

    static TaskWorld boot(String arch) {
        return boot(arch, 256L << 20, SchedulerConfig.defaults());
    }

    static TaskWorld boot(String arch, long ram, SchedulerConfig config) {
        return boot(arch, ram, config, 1);
    }

    /** A machine with {@code cpus} CPUs. */
    static TaskWorld boot(String arch, long ram, SchedulerConfig config, int cpus) {
        FrameAllocator frames = FrameAllocator.boot(Machine.defaultFor(arch, ram).withCpus(cpus));
        PageTable<KernelSpace> kernel = PageTable.kernel(Arch.named(frames.layout().defaultPaging()).format(), frames);
        return new TaskWorld(frames, kernel, Scheduler.create(config, frames, kernel));
    }
}
