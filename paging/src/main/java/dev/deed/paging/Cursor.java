package dev.deed.paging;

import dev.deed.frame.Frame;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.Segment;
import dev.deed.frame.Tracked;
import dev.deed.frame.Untracked;
import java.util.Optional;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * A position inside a virtual range of one page table, as Asterinas' page-table cursors: each
 * operation works at the current address and moves past what it touched; nothing outside the
 * range can be reached through the cursor.
 */
public final class Cursor<K extends SpaceKind> {
    private final PageTable<K> table;
    private final long start;
    private final long end;
    private long at;

    Cursor(PageTable<K> table, long start, long length) {
        if (length <= 0 || (start & (PhysAddr.PAGE_SIZE - 1)) != 0 || (length & (PhysAddr.PAGE_SIZE - 1)) != 0) {
            throw new MappingException(String.format("cursor over [0x%x, +0x%x): start and length must be 4 KiB multiples, length > 0",
                    start, length));
        }
        this.table = table;
        this.start = start;
        this.end = start + length;
        this.at = start;
    }

    /** The current address. */
    public VirtAddr virtAddr() {
        return VirtAddr.of(at);
    }

    /** Bytes left from the current address to the end of the range. */
    public long remaining() {
        return end - at;
    }

    /** Moves to {@code va}, which must lie in the range. */
    public void jump(VirtAddr va) {
        if (va.value() - start < 0 || va.value() - start >= end - start || !va.isAligned(PhysAddr.PAGE_SIZE)) {
            throw new MappingException(String.format("jump to %s: outside the cursor's range [0x%x, 0x%x) or unaligned", va, start, end));
        }
        at = va.value();
    }

    /**
     * Maps one 4 KiB page here (taking the frame's reference) and moves to the next page. A refused
     * frame stays with the caller, as in {@link PageTable#map}.
     */
    public void map(@Owning Frame<Tracked> frame, PageProperty props) throws MappingException, OutOfFramesException {
        require(PhysAddr.PAGE_SIZE, "map");
        table.map(VirtAddr.of(at), frame, props);
        at += PhysAddr.PAGE_SIZE;
    }

    /** Maps the whole untracked range here (kernel cursors only) and moves past it. */
    public static void mapUntracked(Cursor<KernelSpace> cursor, Segment<Untracked> range, PageProperty props)
            throws OutOfFramesException {
        cursor.require(range.size(), "map-untracked");
        PageTable.mapUntracked(cursor.table, VirtAddr.of(cursor.at), range, props);
        cursor.at += range.size();
    }

    /** The mapping covering the current address, if any; moves to the end of that leaf (or the next page). */
    public Optional<Mapping> query() {
        require(PhysAddr.PAGE_SIZE, "query");
        Optional<Mapping> found = table.query(VirtAddr.of(at));
        long next = found.map(m -> m.va().value() + m.size()).orElse(at + PhysAddr.PAGE_SIZE);
        at = next - start >= end - start ? end : next;
        return found;
    }

    /** Unmaps {@code length} bytes from here and moves past them. */
    public PendingFlush unmap(long length) throws OutOfFramesException {
        require(length, "unmap");
        PendingFlush pending = table.unmap(VirtAddr.of(at), length);
        at += length;
        return pending;
    }

    /** Changes the rights of {@code length} bytes from here and moves past them. */
    public PendingFlush protect(long length, PageProperty props) throws OutOfFramesException {
        require(length, "protect");
        PendingFlush pending = table.protect(VirtAddr.of(at), length, props);
        at += length;
        return pending;
    }

    private void require(long length, String op) {
        if (length <= 0 || length > end - at) {
            throw new MappingException(String.format("%s of 0x%x bytes at 0x%x: beyond the cursor's range [0x%x, 0x%x)",
                    op, length, at, start, end));
        }
    }
}
