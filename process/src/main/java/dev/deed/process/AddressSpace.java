package dev.deed.process;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.PlantedBug;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.Usage;
import dev.deed.paging.Mapping;
import dev.deed.paging.PageTable;
import dev.deed.paging.PendingFlush;
import dev.deed.paging.UserSpace;
import dev.deed.paging.VirtAddr;
import dev.deed.paging.spi.PagingFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * A process's memory: a user page table and its VM areas, every page an eagerly allocated, zeroed,
 * tracked frame. Addresses are page-granular; errors are Linux's (EINVAL, ENOMEM).
 */
@InheritableMustCall("destroy")
final class AddressSpace {
    static final long PAGE = PhysAddr.PAGE_SIZE;
    /** Where mmap looks for room first. */
    static final long MMAP_BASE = 0x4000_0000L;

    private final @Owning PageTable<UserSpace> table;
    private final FrameAllocator frames;
    private final long userTop;
    private final TreeMap<Long, VmArea> areas = new TreeMap<>();

    private AddressSpace(@Owning PageTable<UserSpace> table, FrameAllocator frames) {
        this.table = table;
        this.frames = frames;
        this.userTop = Math.min(table.format().lowerHalfEnd(), 0xC000_0000L); // i386: the 3 GiB / 1 GiB split
    }

    /** An empty address space (its root table node only). */
    static AddressSpace create(PagingFormat format, FrameAllocator frames, int asid) throws OutOfFramesException {
        return new AddressSpace(PageTable.user(format, frames, format.hasAsids() ? asid & 0xFFFF : 0), frames);
    }

    long root() {
        return table.rootRegister();
    }

    long top() {
        return userTop;
    }

    List<VmArea> areas() {
        return List.copyOf(areas.values());
    }

    /** Per mapping: pages present, dirty and accessed, from the page table's leaves (A/D bits as the MMU set them). */
    List<AreaUsage> usage() {
        List<AreaUsage> out = new ArrayList<>();
        List<dev.deed.paging.Mapping> leaves = table.mappings();
        int i = 0;
        for (VmArea a : areas.values()) {
            long resident = 0;
            long dirty = 0;
            long referenced = 0;
            while (i < leaves.size() && Long.compareUnsigned(leaves.get(i).va().value(), a.start()) < 0) {
                i++;
            }
            for (int j = i; j < leaves.size() && Long.compareUnsigned(leaves.get(j).va().value(), a.end()) < 0; j++) {
                dev.deed.paging.Mapping m = leaves.get(j);
                long pages = m.size() / PAGE;
                resident += pages;
                dirty += m.props().dirty() ? pages : 0;
                referenced += m.props().accessed() ? pages : 0;
            }
            out.add(new AreaUsage(a, resident, dirty, referenced));
        }
        return out;
    }

    /** Bytes of page-table nodes this address space uses (VmPTE). */
    long pageTableBytes() {
        return (long) table.nodeCount() * PAGE;
    }

    long mappedBytes() {
        long n = 0;
        for (VmArea a : areas.values()) {
            n += a.size();
        }
        return n;
    }

    /**
     * Maps fresh zeroed pages at {@code [start, start + size)}, all or nothing (the page table's
     * {@link PageTable#mapFresh}): out of memory leaves the address space as it was.
     */
    void mapArea(long start, long size, Rights rights, String name) throws OutOfFramesException {
        requireRange("map", start, size);
        if (overlaps(start, size)) {
            throw new SyscallException(Errno.EINVAL, String.format("[0x%x, 0x%x) overlaps an existing mapping", start, start + size));
        }
        table.mapFresh(VirtAddr.of(start), size, rights.pageProperty(), Usage.USER, true);
        areas.put(start, new VmArea(start, start + size, rights, name));
    }

    /** Anonymous private memory: at {@code hint} if that is free, else the first free range from {@link #MMAP_BASE}. */
    long mmap(long hint, long length, Rights rights) throws OutOfFramesException {
        if (length <= 0 || length % PAGE != 0) {
            throw new SyscallException(Errno.EINVAL, "mmap length " + length + " must be a positive multiple of " + PAGE);
        }
        if (hint % PAGE != 0) {
            throw new SyscallException(Errno.EINVAL, "mmap address 0x" + Long.toHexString(hint) + " is not page-aligned");
        }
        long at = hint != 0 && hint >= PAGE && hint + length <= userTop && !overlaps(hint, length) ? hint : findFree(length);
        mapArea(at, length, rights, "[anon]");
        return at;
    }

    void munmap(long start, long length) throws OutOfFramesException {
        requireRange("munmap", start, length);
        if (frames.faults().isPlanted(PlantedBug.B3)) {
            frames.plantedForgedDrop(); // Asterinas #1760's wrong step: a handle forged for 0x1000, dropped
        }
        if (!overlaps(start, length)) {
            throw new SyscallException(Errno.EINVAL, String.format("munmap [0x%x, 0x%x): nothing is mapped there", start, start + length));
        }
        for (VmArea a : cut(start, length)) {
            table.unmap(VirtAddr.of(a.start()), a.size()).flush();
            areas.remove(a.start());
        }
    }

    void mprotect(long start, long length, Rights rights) throws OutOfFramesException {
        requireRange("mprotect", start, length);
        if (covered(start, length) != length) {
            throw new SyscallException(Errno.ENOMEM, String.format("mprotect [0x%x, 0x%x): part of the range is not mapped",
                    start, start + length));
        }
        for (VmArea a : cut(start, length)) {
            table.protect(VirtAddr.of(a.start()), a.size(), rights.pageProperty()).flush();
            areas.put(a.start(), new VmArea(a.start(), a.end(), rights, a.name()));
        }
    }

    /**
     * An eager copy for fork: the same areas and rights, fresh frames with the same contents. All or
     * nothing: a copy that runs out of memory part-way is torn down here, and the parent is untouched.
     */
    static AddressSpace copyOf(AddressSpace parent, int asid) throws OutOfFramesException {
        AddressSpace child = create(parent.table.format(), parent.frames, asid);
        try {
            for (VmArea a : parent.areas.values()) {
                child.mapArea(a.start(), a.size(), a.rights(), a.name());
                for (long va = a.start(); va < a.end(); va += PAGE) {
                    parent.frames.memory().copy(parent.pa(va), child.pa(va), PAGE);
                }
            }
        } catch (RuntimeException refused) {
            child.destroy().flush();
            throw refused;
        }
        return child;
    }

    /** The physical address a user page is mapped to. */
    long pa(long va) {
        Mapping m = table.query(VirtAddr.of(va)).orElseThrow(() -> new SyscallException(Errno.EFAULT,
                "0x" + Long.toHexString(va) + " is not mapped"));
        return m.pa() + (va - m.va().value());
    }

    @org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods(value = "this.table", methods = "destroy")
    PendingFlush destroy() {
        areas.clear();
        return table.destroy();
    }

    private long findFree(long length) {
        long at = MMAP_BASE;
        for (VmArea a : areas.tailMap(MMAP_BASE, true).values()) {
            if (a.start() - at >= length) {
                break;
            }
            at = Math.max(at, a.end());
        }
        if (at + length > userTop) {
            throw new SyscallException(Errno.ENOMEM, "no free range of " + length + " bytes in the address space");
        }
        return at;
    }

    private boolean overlaps(long start, long size) {
        Map.Entry<Long, VmArea> below = areas.floorEntry(start + size - 1);
        return below != null && below.getValue().end() > start;
    }

    private long covered(long start, long length) {
        long n = 0;
        for (VmArea a : areas.values()) {
            n += Math.max(0, Math.min(a.end(), start + length) - Math.max(a.start(), start));
        }
        return n;
    }

    /** Splits the areas at the range's ends and returns the pieces inside the range. */
    private List<VmArea> cut(long start, long length) {
        long end = start + length;
        List<VmArea> inside = new ArrayList<>();
        for (VmArea a : new ArrayList<>(areas.values())) {
            if (a.end() <= start || a.start() >= end) {
                continue;
            }
            areas.remove(a.start());
            if (a.start() < start) {
                areas.put(a.start(), new VmArea(a.start(), start, a.rights(), a.name()));
            }
            if (a.end() > end) {
                areas.put(end, new VmArea(end, a.end(), a.rights(), a.name()));
            }
            VmArea piece = new VmArea(Math.max(a.start(), start), Math.min(a.end(), end), a.rights(), a.name());
            areas.put(piece.start(), piece);
            inside.add(piece);
        }
        return inside;
    }

    private void requireRange(String op, long start, long length) {
        if (start % PAGE != 0) {
            throw new SyscallException(Errno.EINVAL, op + " address 0x" + Long.toHexString(start) + " is not page-aligned");
        }
        if (length <= 0 || length % PAGE != 0) {
            throw new SyscallException(Errno.EINVAL, op + " length " + length + " must be a positive multiple of " + PAGE);
        }
        if (start < PAGE || start + length > userTop || start + length < start) {
            throw new SyscallException(Errno.EINVAL, String.format("%s [0x%x, 0x%x) is outside user space [0x%x, 0x%x)",
                    op, start, start + length, PAGE, userTop));
        }
    }
}
