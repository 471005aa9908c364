package dev.deed.process;

import dev.deed.frame.Frame;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.PlantedBug;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.Tracked;
import dev.deed.frame.Usage;
import dev.deed.paging.Access;
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
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A process's memory: a user page table and its VM areas. Anonymous memory is demand-zero — a frame
 * is allocated and zeroed at the first touch ({@link #resolve}) unless populated up front — and fork
 * shares every page copy-on-write: both sides map the frame read-only, its reference count counts
 * the mappings, and the first write breaks the share (a copy, or the page taken over by its last
 * sharer). Addresses are page-granular; errors are Linux's (EINVAL, ENOMEM).
 */
@InheritableMustCall("destroy")
final class AddressSpace {
    static final long PAGE = PhysAddr.PAGE_SIZE;

    private final @Owning PageTable<UserSpace> table;
    private final FrameAllocator frames;
    private final long userTop;
    /** Where mmap looks for room first. */
    private final long mmapBase;
    private final TreeMap<Long, VmArea> areas = new TreeMap<>();
    private long demandZero;
    private long copied;
    private long takenOver;

    private AddressSpace(@Owning PageTable<UserSpace> table, FrameAllocator frames) {
        this.table = table;
        this.frames = frames;
        this.userTop = frames.layout().userTop();
        this.mmapBase = frames.layout().mmapBase();
    }

    /** An empty address space (its root table node only). */
    static AddressSpace create(PagingFormat format, FrameAllocator frames, int asid) throws OutOfFramesException {
        return new AddressSpace(PageTable.user(format, frames, format.hasAsids() ? Math.floorMod(asid, format.asidCount()) : 0), frames);
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

    /**
     * Per mapping: pages present, dirty and accessed (A/D bits as the MMU set them), shared with
     * another mapping, and the proportional set size, from the page table's leaves and the frames'
     * reference counts.
     */
    List<AreaUsage> usage() {
        List<AreaUsage> out = new ArrayList<>();
        List<dev.deed.paging.Mapping> leaves = table.mappings();
        int i = 0;
        for (VmArea a : areas.values()) {
            long resident = 0;
            long dirty = 0;
            long referenced = 0;
            long shared = 0;
            long sharedDirty = 0;
            long pss = 0;
            while (i < leaves.size() && Long.compareUnsigned(leaves.get(i).va().value(), a.start()) < 0) {
                i++;
            }
            for (int j = i; j < leaves.size() && Long.compareUnsigned(leaves.get(j).va().value(), a.end()) < 0; j++) {
                dev.deed.paging.Mapping m = leaves.get(j);
                long pages = m.size() / PAGE;
                int refs = m.tracked() ? Math.max(1, frames.info(PhysAddr.of(m.pa())).references()) : 1;
                resident += pages;
                dirty += m.props().dirty() ? pages : 0;
                referenced += m.props().accessed() ? pages : 0;
                if (refs > 1) {
                    shared += pages;
                    sharedDirty += m.props().dirty() ? pages : 0;
                }
                pss += m.size() / refs;
            }
            out.add(new AreaUsage(a, resident, dirty, referenced, shared, sharedDirty, pss));
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

    /**
     * Anonymous private memory: at {@code hint} if that is free, else the first free range from
     * the layout's mmap base. Demand-zero unless {@code populate} (as MAP_POPULATE): then every page is
     * allocated now, all or nothing.
     */
    long mmap(long hint, long length, Rights rights, boolean populate) throws OutOfFramesException {
        if (length <= 0 || length % PAGE != 0) {
            throw new SyscallException(Errno.EINVAL, "mmap length " + length + " must be a positive multiple of " + PAGE);
        }
        if (hint % PAGE != 0) {
            throw new SyscallException(Errno.EINVAL, "mmap address 0x" + Long.toHexString(hint) + " is not page-aligned");
        }
        long at = hint != 0 && hint >= PAGE && hint + length <= userTop && !overlaps(hint, length) ? hint : findFree(length);
        if (populate) {
            mapArea(at, length, rights, "[anon]");
        } else {
            areas.put(at, new VmArea(at, at + length, rights, "[anon]"));
        }
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
            if (resident(a.start(), a.end())) {
                table.unmap(VirtAddr.of(a.start()), a.size()).flush();
            }
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
            protectResident(a.start(), a.end(), rights);
            areas.put(a.start(), new VmArea(a.start(), a.end(), rights, a.name()));
        }
    }

    /**
     * Fork's copy, copy-on-write: the same areas and rights; every resident page is mapped in the
     * child to the parent's frame (one more reference), read-only in both, so the first write on
     * either side breaks the share. All or nothing: a child that cannot get its table nodes is torn
     * down, and the parent has not been touched.
     */
    static AddressSpace copyOf(AddressSpace parent, int asid) throws OutOfFramesException {
        AddressSpace child = create(parent.table.format(), parent.frames, asid);
        try {
            child.areas.putAll(parent.areas);
            parent.table.shareInto(child.table).flush();
        } catch (RuntimeException refused) {
            child.destroy().flush();
            throw refused;
        }
        return child;
    }

    /**
     * The page-fault handler's work for a fault at {@code va} on {@code access}: a demand-zero page,
     * a copy-on-write break, or nothing (the entry allows it now). Returns null when resolved (the
     * access is retried), else why the access is a segmentation violation. Out of memory is thrown,
     * with nothing changed.
     */
    @Nullable String resolve(long va, Access access) throws OutOfFramesException {
        long page = va & -PAGE;
        if (Long.compareUnsigned(va, userTop) >= 0) {
            return String.format("0x%x is a kernel address: user mode may not touch it", va);
        }
        VmArea a = areaAt(page);
        if (a == null) {
            return String.format("no mapping at 0x%x", va);
        }
        Rights r = a.rights();
        if (access == Access.WRITE && !r.write() || access == Access.EXECUTE && !r.execute() || !r.read()) {
            return String.format("%s at 0x%x in a %s mapping", access.name().toLowerCase(java.util.Locale.ROOT), va, r.maps());
        }
        Mapping m = table.query(VirtAddr.of(page)).orElse(null);
        if (m == null) {
            Frame<Tracked> frame = frames.allocZeroed(Usage.USER);
            try {
                table.map(VirtAddr.of(page), frame, r.pageProperty());
            } catch (RuntimeException refused) {
                frame.close();
                throw refused;
            }
            demandZero++;
            return null;
        }
        if (access == Access.WRITE && !m.props().write()) {
            breakShare(page, m.pa(), r);
        }
        return null;
    }

    /** The first write to a shared page: the last sharer takes it over, any other gets its own copy. */
    private void breakShare(long page, long pa, Rights rights) throws OutOfFramesException {
        if (frames.info(PhysAddr.of(pa)).references() <= 1) {
            table.protect(VirtAddr.of(page), PAGE, rights.pageProperty()).flush();
            takenOver++;
            return;
        }
        Frame<Tracked> copy = frames.alloc(Usage.USER);
        frames.memory().copy(pa, copy.addr().value(), PAGE);
        PendingFlush swap;
        try {
            swap = table.replace(VirtAddr.of(page), copy, rights.pageProperty());
        } catch (RuntimeException refused) {
            copy.close();
            throw refused;
        }
        swap.flush(); // the old frame loses this mapping's reference once every CPU has dropped it
        copied++;
    }

    /** Demand-zero pages allocated, shares broken by a copy, and pages taken over by their last sharer. */
    long[] faultCounts() {
        return new long[] {demandZero, copied, takenOver};
    }

    /** Re-protects the resident pages of {@code [start, end)}: a page still shared stays read-only whatever {@code rights} says. */
    private void protectResident(long start, long end, Rights rights) throws OutOfFramesException {
        long runStart = -1;
        boolean runShared = false;
        for (long va = start; va <= end; va += PAGE) {
            Mapping m = va < end ? table.query(VirtAddr.of(va)).orElse(null) : null;
            boolean shared = m != null && rights.write() && frames.info(PhysAddr.of(m.pa())).references() > 1;
            if (runStart >= 0 && (m == null || shared != runShared)) {
                Rights applied = runShared ? readOnly(rights) : rights;
                table.protect(VirtAddr.of(runStart), va - runStart, applied.pageProperty()).flush();
                runStart = -1;
            }
            if (m != null && runStart < 0) {
                runStart = va;
                runShared = shared;
            }
        }
    }

    /** Whether any page of {@code [start, end)} is in memory. */
    private boolean resident(long start, long end) {
        for (long va = start; va < end; va += PAGE) {
            if (table.query(VirtAddr.of(va)).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private @Nullable VmArea areaAt(long va) {
        Map.Entry<Long, VmArea> e = areas.floorEntry(va);
        return e != null && e.getValue().end() > va ? e.getValue() : null;
    }

    private static Rights readOnly(Rights r) {
        return new Rights(r.read(), false, r.execute());
    }

    /** Bytes of this address space in memory: its resident pages. */
    long residentBytes() {
        long n = 0;
        for (Mapping m : table.mappings()) {
            n += m.size();
        }
        return n;
    }

    /** Each resident page's frame, by virtual address (for the reference-count invariant). */
    List<Mapping> mappings() {
        return table.mappings();
    }

    List<dev.deed.paging.TableNode> tableNodes() {
        return table.nodes();
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
        long at = mmapBase;
        for (VmArea a : areas.tailMap(mmapBase, true).values()) {
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
