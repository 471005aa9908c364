package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.AllocatorStats;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Segment;
import dev.deed.frame.Untracked;
import dev.deed.frame.Usage;
import dev.deed.paging.Cpus;
import dev.deed.paging.Access;
import dev.deed.paging.FaultKind;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.Mapping;
import dev.deed.paging.Mmu;
import dev.deed.paging.PageFault;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.PendingFlush;
import dev.deed.paging.Privilege;
import dev.deed.paging.VirtAddr;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * B5 (asterinas PR #1372, test_untracked_map_unmap): a huge untracked kernel mapping, partially
 * unmapped so superpages split, then destroyed. Asterinas' page-table destructor released every leaf
 * as if tracked and corrupted the allocator. Here the allocator must come out exactly as it went in:
 * every node back, no untracked address ever released.
 */
class B5RegressionTest {
    static List<String> formats() {
        return Arch.names();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void untrackedMapUnmap(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        boolean riscv = !name.equals("i386");
        long big = arch.bigPage();
        long length = riscv ? big + big + (2L << 20) : 256L << 20;      // > 1 GiB on RISC-V, 256 MiB on i386
        long start = 4096;                                               // an unaligned page: every size is used
        try (Segment<Untracked> mmio = frames.untrackedRange(arch.mmio(start), length)) {
            AllocatorStats before = frames.stats();
            PageTable<KernelSpace> table = PageTable.kernel(arch.format(), frames);
            VirtAddr va = VirtAddr.of(arch.kernelVa() + start);
            PageTable.mapUntracked(table, va, mmio, PageProperty.kernelData());

            String sizes = table.mappings().stream().map(m -> PageTableSizes.name(m.size())).distinct()
                    .collect(Collectors.joining(","));
            assertEquals(riscv ? "4K,2M,1G" : "4K,4M", sizes, "every page size is used");
            assertTrue(table.nodeCount() > arch.format().levels(), "intermediate nodes are used");

            Mmu mmu = Cpus.of(frames, arch.format()).mmu(0);
            long root = table.rootRegister();
            for (int i = 0; i < 100; i++) {
                long offset = (length / 100) * i & -8L;
                Mapping m = table.query(va.add(offset)).orElseThrow();
                assertEquals(arch.mmioPa() + start + offset, m.pa() + (va.value() + offset - m.va().value()));
                assertEquals(arch.mmioPa() + start + offset, mmu.translate(root, va.add(offset), Access.READ, Privilege.SUPERVISOR));
            }

            long holeOffset = riscv ? big - start - (6L << 20) : (100L << 20) - start + 8192; // across superpage boundaries
            long holeLength = riscv ? (12L << 20) + 8192 : (9L << 20) + 4096;
            PendingFlush pending = table.unmap(va.add(holeOffset), holeLength);
            assertEquals(0, pending.framesToRelease(), "untracked leaves release nothing");
            pending.flush();
            for (long off : new long[] {holeOffset, holeOffset + 4096, holeOffset + holeLength / 2, holeOffset + holeLength - 4096}) {
                PageFault fault = assertThrows(PageFault.class, () -> mmu.translate(root, va.add(off), Access.READ, Privilege.SUPERVISOR));
                assertEquals(FaultKind.NOT_PRESENT, fault.kind());
            }
            for (long off : new long[] {0, holeOffset - 4096, holeOffset + holeLength, length - 4096}) {
                assertEquals(arch.mmioPa() + start + off, mmu.translate(root, va.add(off), Access.READ, Privilege.SUPERVISOR));
            }
            assertTrue(table.mappings().stream().noneMatch(Mapping::tracked), "the split pieces are still untracked");

            PendingFlush teardown = table.destroy();
            assertEquals(0, teardown.framesToRelease());
            teardown.flush();
            frames.drainCpuCaches();
            assertEquals(before, frames.stats(), "the allocator is exactly as before: nodes back, nothing untracked freed");
            assertNull(frames.verify());
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void aMixedTableReleasesExactlyItsTrackedFrames(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        AllocatorStats before = frames.stats();
        PageTable<KernelSpace> table = PageTable.kernel(arch.format(), frames);
        for (int i = 0; i < 37; i++) {
            table.map(VirtAddr.of(arch.kernelVa() + i * 4096L), frames.alloc(Usage.USER), PageProperty.kernelData());
        }
        try (Segment<Untracked> mmio = frames.untrackedRange(arch.mmio(0), 2 * arch.superPage())) {
            PageTable.mapUntracked(table, VirtAddr.of(arch.kernelVa() + 4 * arch.superPage()), mmio, PageProperty.kernelData());
        }
        table.unmap(VirtAddr.of(arch.kernelVa() + 4 * arch.superPage() + 4096), 4096).flush(); // split the untracked superpage
        assertEquals(37, frames.stats().used(Usage.USER));
        PendingFlush teardown = table.destroy();
        assertEquals(37, teardown.framesToRelease(), "exactly the tracked leaves");
        assertEquals(37, frames.stats().used(Usage.USER), "still allocated until the flush");
        teardown.flush();
        frames.drainCpuCaches();
        assertEquals(before, frames.stats());
    }

    /** Page sizes by name, for readable assertions. */
    static final class PageTableSizes {
        private PageTableSizes() {
        }

        static String name(long size) {
            return size >= 1L << 30 ? (size >> 30) + "G" : size >= 1L << 20 ? (size >> 20) + "M" : (size >> 10) + "K";
        }
    }
}
