package dev.deed.kernel.cli;

import dev.deed.kernel.boot.KernelConfig;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.MemoryLayouts;
import dev.deed.frame.AllocatorStats;
import dev.deed.frame.BadFreeException;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.PlantedBug;
import dev.deed.frame.Segment;
import dev.deed.frame.Tracked;
import dev.deed.frame.Untracked;
import dev.deed.frame.Usage;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.MappingException;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.PagingFormats;
import dev.deed.paging.UserSpace;
import dev.deed.paging.VirtAddr;
import org.checkerframework.checker.nullness.qual.Nullable;

/** B5 for {@code deed bugs}: the phantom types at build time, their run-time backstops, the planted destructor caught. */
final class B5Evidence {
    private static final long KERNEL_VA = 0xFFFF_FFC0_0000_1000L;
    private static final long MMIO = 0x1_0000_1000L;

    private B5Evidence() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // the misuse a raw type or an unchecked cast lets through, which the backstops refuse
    static Evidence run() throws OutOfFramesException {
        Evidence e = new Evidence("B5", "Asterinas PR #1372: a page-table destructor released untracked leaves (MMIO) as if it"
                + " owned them", "Frame<Untracked> cannot reach a user table; leaves record tracking in a PTE bit; only tracked"
                + " leaves are released; mapUntracked re-checks at run time what the types said");
        e.layer("build (javac, phantom types)", SnippetCompiler.firstError("""
                package misuse;
                import dev.deed.frame.*;
                import dev.deed.paging.*;
                class Snippet {
                    void map(PageTable<UserSpace> user, Frame<Untracked> mmio) {
                        user.map(VirtAddr.of(0x400000), mmio, PageProperty.userData());
                    }
                }
                """, "dev.deed.paging", false).<@Nullable String>map(key -> "an untracked frame in a user table fails with " + key)
                .orElse(null));
        FrameAllocator frames = FrameAllocator.boot(Machine.defaultFor(KernelConfig.DEFAULT_ARCH, 64L << 20));
        PageTable<UserSpace> user = PageTable.user(PagingFormats.named(MemoryLayouts.forArch(KernelConfig.DEFAULT_ARCH).defaultPaging()), frames, 1);
        try (Segment<Untracked> mmio = frames.untrackedRange(PhysAddr.of(MMIO), 4096)) {
            PageTable raw = user;
            e.layer("run time (mapUntracked given a user table through a raw type)", Evidence.refusal(MappingException.class,
                    () -> PageTable.mapUntracked(raw, VirtAddr.of(0x40_0000), mmio, PageProperty.kernelData())));
        } finally {
            user.destroy().flush();
        }
        PageTable<KernelSpace> kernel = PageTable.kernel(PagingFormats.named(MemoryLayouts.forArch(KernelConfig.DEFAULT_ARCH).defaultPaging()), frames);
        try (Segment<Tracked> ram = frames.allocContiguous(Usage.KERNEL, 1)) {
            Segment forged = ram;
            e.layer("run time (allocator RAM cast to Segment<Untracked>)", Evidence.refusal(MappingException.class,
                    () -> PageTable.mapUntracked(kernel, VirtAddr.of(KERNEL_VA), (Segment<Untracked>) forged, PageProperty.kernelData())));
        } finally {
            kernel.destroy().flush();
        }

        frames.drainCpuCaches();
        AllocatorStats before = frames.stats();
        PageTable<KernelSpace> big = PageTable.kernel(PagingFormats.named(MemoryLayouts.forArch(KernelConfig.DEFAULT_ARCH).defaultPaging()), frames);
        try (Segment<Untracked> mmio = frames.untrackedRange(PhysAddr.of(MMIO), (2L << 30) + (2L << 20))) {
            PageTable.mapUntracked(big, VirtAddr.of(KERNEL_VA), mmio, PageProperty.kernelData());
            big.unmap(VirtAddr.of(0xFFFF_FFC0_3FE0_0000L), 12L << 20).flush();
        } finally {
            big.destroy().flush();
        }
        frames.drainCpuCaches();
        e.layer("run time (allocator state)", before.equals(frames.stats())
                ? "2 GiB of untracked memory mapped, split, unmapped, destroyed: the allocator is exactly as before" : null);

        FrameAllocator planted = FrameAllocator.boot(Machine.defaultFor(KernelConfig.DEFAULT_ARCH, 64L << 20));
        planted.faults().plant(PlantedBug.B5);
        PageTable<KernelSpace> table = PageTable.kernel(PagingFormats.named(MemoryLayouts.forArch(KernelConfig.DEFAULT_ARCH).defaultPaging()), planted);
        String refused = null;
        AllocatorStats plantedBefore = planted.stats();
        try (Segment<Untracked> mmio = planted.untrackedRange(PhysAddr.of(MMIO), 2L << 20)) {
            PageTable.mapUntracked(table, VirtAddr.of(KERNEL_VA - 0x1000), mmio, PageProperty.kernelData());
            plantedBefore = planted.stats();
        } finally {
            try {
                table.destroy().flush();
            } catch (BadFreeException caught) {
                refused = caught.getClass().getSimpleName() + ": " + caught.getMessage();
            }
        }
        e.layer("run time (B5 planted: the destructor releases the untracked leaf)", refused == null || !plantedBefore.equals(planted.stats())
                ? null : refused + " — the allocator unchanged");
        return e;
    }
}
