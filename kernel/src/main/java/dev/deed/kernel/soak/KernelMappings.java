package dev.deed.kernel.soak;

import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.Segment;
import dev.deed.frame.Untracked;
import dev.deed.kernel.boot.Kernel;
import dev.deed.kernel.boot.ResourceReport;
import dev.deed.lifecycle.Choices;
import dev.deed.lifecycle.Step;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.VirtAddr;

/**
 * What a driver does to the kernel's own page table in the flagship property: map a device's
 * registers (untracked memory, outside RAM) with a superpage and a few small pages, unmap a piece
 * from the middle (splitting the superpage), then the rest — Asterinas' {@code test_untracked_map_unmap}
 * as a step. Afterwards every resource count is as before: untracked memory is never "freed", and
 * the nodes the split took are back (B5).
 */
final class KernelMappings {
    private static final long PAGE = PhysAddr.PAGE_SIZE;

    private KernelMappings() {
    }

    static Step<SoakModel, World> ioremap(Choices c, SoakModel m) {
        int cutPage = c.between(1, 8);
        int cutPages = c.between(1, 3);
        return Step.of(String.format("kernel: ioremap a superpage + 2 pages, unmap pages %d..%d, then the rest", cutPage,
                cutPage + cutPages - 1), (w, model) -> {
            Kernel k = w.kernel;
            PageTable<KernelSpace> table = k.kernelTable();
            long huge = table.format().pageSize(1);
            long va = k.frames().layout().deviceArea();
            long pa = k.frames().layout().devicePhysical();
            long size = huge + 2 * PAGE;
            k.settle();
            ResourceReport before = k.report();
            int nodes = table.nodeCount();
            try (Segment<Untracked> mmio = k.frames().untrackedRange(PhysAddr.of(pa), size)) {
                PageTable.mapUntracked(table, VirtAddr.of(va), mmio, PageProperty.kernelData());
            } catch (OutOfFramesException refused) { // a small machine with no frame left for a table node
                requireUnchanged(k, before, nodes, table, "a refused ioremap");
                return;
            }
            long cut = cutPage * PAGE;
            long cutLength = cutPages * PAGE;
            try {
                table.unmap(VirtAddr.of(va + cut), cutLength).flush();
            } catch (OutOfFramesException refused) { // no node for the split: the whole range goes at once below
                table.unmap(VirtAddr.of(va), size).flush();
                requireUnchanged(k, before, nodes, table, "an ioremap whose split was refused, then unmapped whole");
                return;
            }
            if (table.query(VirtAddr.of(va)).map(mp -> mp.pa() != pa).orElse(true)
                    || table.query(VirtAddr.of(va + cut + cutLength)).map(mp -> mp.pa() != pa + cut + cutLength).orElse(true)
                    || table.query(VirtAddr.of(va + cut)).isPresent()) {
                throw new AssertionError("after the partial unmap the pieces around the hole do not map where they did");
            }
            table.unmap(VirtAddr.of(va), cut).flush();
            table.unmap(VirtAddr.of(va + cut + cutLength), size - cut - cutLength).flush();
            requireUnchanged(k, before, nodes, table, "mapping and unmapping device memory");
        });
    }

    /** Every resource count as before, and the table's nodes: untracked memory was never freed, split nodes came back. */
    private static void requireUnchanged(Kernel k, ResourceReport before, int nodes, PageTable<KernelSpace> table, String what) {
        k.settle();
        ResourceReport after = k.report();
        if (!after.equals(before) || table.nodeCount() != nodes) {
            throw new AssertionError(what + " changed the kernel (" + nodes + " -> " + table.nodeCount() + " table nodes):\n"
                    + after.compareTo(before));
        }
    }
}
