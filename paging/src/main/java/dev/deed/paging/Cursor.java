package dev.deed.paging;

import dev.deed.frame.Frame;
import dev.deed.frame.FrameException;
import dev.deed.frame.InvalidAddressException;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.Segment;
import dev.deed.frame.Tracked;
import dev.deed.frame.Untracked;
import dev.deed.frame.Usage;
import dev.deed.paging.spi.Entry;
import dev.deed.paging.spi.PagingFormat;
import java.util.Optional;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * The paging engine: a position inside a virtual range of one page table that keeps the path of
 * nodes from the root down to where it is, as Asterinas OSTD's page-table cursors. Every operation
 * of {@link PageTable} that touches entries — map, map a fresh range, map shared, replace, unmap,
 * protect, query — runs here, and moving forward through a range re-reads only the levels whose
 * node changes: consecutive pages cost one entry each, not a walk from the root. Nothing outside the
 * range can be reached through a cursor.
 *
 * <p>The path is a cache of the tree: it is read again from the root whenever the table unlinked a
 * node since it was read (an unmap or destroy that emptied a node, an undo after a refusal), so a
 * cursor never steps into a released node. Node ownership, counts and linking stay with
 * {@link PageTable}.
 */
public final class Cursor<K extends SpaceKind> {
    /** Software walks see what the kernel configured: 4 MiB pages on, SUM/MXR irrelevant. */
    static final MmuControl SOFTWARE = MmuControl.defaults();

    private final PageTable<K> table;
    private final PagingFormat format;
    private final int top;
    private long start;
    private long end;
    private long at;
    /** Where this cursor walked last: the nodes from the root down. */
    private final TablePath path;
    /** Nodes reserved for the superpage splits of the current unmap or protect. */
    private final SplitNodes splits;
    /** The nodes the current operation created, undone if it refuses (one log, cleared per operation). */
    private final PageTable<K>.NodeLog created;

    Cursor(PageTable<K> table, long start, long length) {
        this.table = table;
        this.format = table.format();
        this.top = format.levels() - 1;
        this.path = new TablePath(table);
        this.splits = new SplitNodes(table, path);
        this.created = table.new NodeLog();
        reset(start, length);
    }

    /**
     * Re-aims this cursor at {@code [start, start + length)} (the table's own engine, per call). The
     * path stays: consecutive calls in one region re-read only the last level.
     */
    Cursor<K> reset(long start, long length) {
        if (length <= 0 || (start & (PhysAddr.PAGE_SIZE - 1)) != 0 || (length & (PhysAddr.PAGE_SIZE - 1)) != 0) {
            throw new MappingException(String.format("cursor over [0x%x, +0x%x): start and length must be 4 KiB multiples, length > 0",
                    start, length));
        }
        this.start = start;
        this.end = start + length;
        this.at = start;
        return this;
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

    // ---- operations ----

    /**
     * Maps one 4 KiB page here, taking the frame's reference, and moves to the next page. One walk
     * refuses an overlap and creates the missing nodes, all or nothing; a refused frame stays open,
     * with the caller (both refusals are declared, so the Resource Leak Checker follows it).
     *
     * @throws MappingException     bad rights, an overlap, or a frame that cannot be held
     * @throws OutOfFramesException no memory for a table node (nothing changed)
     */
    public void map(@Owning Frame<Tracked> frame, PageProperty props) throws MappingException, OutOfFramesException {
        require(PhysAddr.PAGE_SIZE, "map");
        mapHere(frame, props);
    }

    /** {@link #map} once the range is known to hold a page here ({@link PageTable#map} checked it). */
    void mapHere(@Owning Frame<Tracked> frame, PageProperty props) throws MappingException, OutOfFramesException {
        table.encodable("map", props, true);
        try {
            table.raw().requireIntoRaw(frame);
        } catch (FrameException unusable) {
            throw new MappingException("map at " + VirtAddr.of(at) + ": " + unusable.getMessage());
        }
        long node;
        try {
            node = freeSlot("map", at, 0, created.clear());
        } catch (RuntimeException refused) {
            created.undo();
            throw refused;
        }
        long pa = table.raw().intoRaw(frame).value(); // encodable with these rights (checked above), as every RAM frame is
        table.writePte(node, format.index(at, 0), format.encodeLeaf(pa, props, true, 0));
        table.count(node, +1);
        at += PhysAddr.PAGE_SIZE;
    }

    /**
     * Maps {@code size} bytes from here to fresh frames tagged {@code usage} (zero-filled if asked) and
     * moves past them, all or nothing: every page is checked free, then the missing nodes are
     * created, then every frame is taken, then all are mapped. A failure gives back every frame and
     * node it took; nothing was visible to a TLB in between.
     *
     * @throws MappingException     bad rights, or part of the range already mapped
     * @throws OutOfFramesException no memory for a node or a frame (nothing changed)
     */
    public void mapFresh(long size, PageProperty props, Usage usage, boolean zeroed) throws OutOfFramesException {
        require(size, "map");
        table.encodable("map", props, true);
        int pages = Math.toIntExact(size >>> PhysAddr.PAGE_SHIFT);
        for (long va = at; va - at < size; ) {
            va = requireFree("map", va, 0);
        }
        long[] nodes = new long[pages];
        long[] taken = new long[pages];
        int frameCount = 0;
        created.clear();
        try {
            for (int i = 0; i < pages; i++) {
                nodes[i] = freeSlot("map", at + ((long) i << PhysAddr.PAGE_SHIFT), 0, created);
            }
            for (; frameCount < pages; frameCount++) {
                taken[frameCount] = table.raw().intoRaw(zeroed ? table.frames().allocZeroed(usage) : table.frames().alloc(usage)).value();
            }
        } catch (RuntimeException refused) {
            for (int i = 0; i < frameCount; i++) {
                table.raw().dropRaw(PhysAddr.of(taken[i]));
            }
            created.undo();
            throw refused;
        }
        for (int i = 0; i < pages; i++) {
            long va = at + ((long) i << PhysAddr.PAGE_SHIFT);
            table.writePte(nodes[i], format.index(va, 0), format.encodeLeaf(taken[i], props, true, 0));
            table.count(nodes[i], +1);
        }
        at += size;
    }

    /**
     * Maps the whole untracked range here (kernel cursors only) with the largest leaves the alignment
     * of both addresses allows, and moves past it. All or nothing: every chunk is checked free, then
     * the nodes are created (unlinked again if one cannot be had), then the leaves written.
     */
    public static void mapUntracked(Cursor<KernelSpace> cursor, Segment<Untracked> range, PageProperty props)
            throws OutOfFramesException {
        cursor.require(range.size(), "map-untracked");
        PageTable.mapUntracked(cursor.table, VirtAddr.of(cursor.at), range, props);
        cursor.at += range.size();
    }

    /** {@link PageTable#mapUntracked}'s work, after its checks of the table's and the range's kind. */
    void mapRange(long pa, long size, PageProperty props) throws OutOfFramesException {
        table.encodable("map-untracked", props, false);
        int chunks = 0;
        for (long done = 0; done < size; chunks++) {
            int level = largestLevel(at + done, pa + done, size - done);
            requireFree("map-untracked", at + done, level);
            done += format.pageSize(level);
        }
        long[] nodes = new long[chunks];
        created.clear();
        try {
            long done = 0;
            for (int i = 0; i < chunks; i++) {
                int level = largestLevel(at + done, pa + done, size - done);
                nodes[i] = freeSlot("map-untracked", at + done, level, created);
                done += format.pageSize(level);
            }
        } catch (RuntimeException refused) {
            created.undo();
            throw refused;
        }
        long done = 0;
        for (int i = 0; i < chunks; i++) {
            int level = largestLevel(at + done, pa + done, size - done);
            table.writePte(nodes[i], format.index(at + done, level), format.encodeLeaf(pa + done, props, false, level));
            table.count(nodes[i], +1);
            done += format.pageSize(level);
        }
    }

    /** The highest level whose page fits at {@code va} → {@code pa} within {@code left} bytes. */
    private int largestLevel(long va, long pa, long left) {
        int level = top;
        while (level > 0 && !(format.leafAllowed(level) && (va & (format.pageSize(level) - 1)) == 0
                && (pa & (format.pageSize(level) - 1)) == 0 && left >= format.pageSize(level))) {
            level--;
        }
        return level;
    }

    /**
     * Maps one 4 KiB page here to {@code frame}, which other mappings already hold, adding one
     * reference (copy-on-write sharing after fork); all or nothing.
     */
    void mapShared(PhysAddr frame, PageProperty props) throws OutOfFramesException {
        long node;
        try {
            node = freeSlot("map", at, 0, created.clear());
            table.raw().shareRaw(frame);
        } catch (RuntimeException refused) { // no node, or a frame at its maximum of references
            created.undo();
            throw refused;
        }
        table.writePte(node, format.index(at, 0), format.encodeLeaf(frame.value(), props, true, 0));
        table.count(node, +1);
        at += PhysAddr.PAGE_SIZE;
    }

    /**
     * Replaces the 4 KiB leaf here with one mapping {@code frame} (a copy-on-write break); the old
     * frame goes with the returned flush. Refused, changing nothing and leaving the frame with the
     * caller, if no 4 KiB leaf maps this address.
     */
    PendingFlush replace(@Owning Frame<Tracked> frame, PageProperty props) throws MappingException {
        require(PhysAddr.PAGE_SIZE, "replace");
        table.encodable("replace", props, true);
        long pte;
        try {
            table.raw().requireIntoRaw(frame);
            pte = format.encodeLeaf(frame.addr().value(), props, true, 0);
        } catch (FrameException unusable) {
            throw new MappingException("replace at " + VirtAddr.of(at) + ": " + unusable.getMessage());
        }
        path.locate(at);
        if (path.level != 0 || !(table.decode(path.pte, 0) instanceof Entry.Leaf leaf)) {
            throw new MappingException("replace at " + VirtAddr.of(at) + ": no 4 KiB page is mapped there");
        }
        PendingFlush pending = table.newFlush();
        table.raw().intoRaw(frame);
        table.writePte(path.node(0), format.index(at, 0), pte);
        pending.invalidate(at);
        if (leaf.tracked()) {
            pending.releaseFrame(leaf.pa());
        }
        at += PhysAddr.PAGE_SIZE;
        return pending;
    }

    /**
     * The mapping covering the current address, if any, with rights as the hardware would combine
     * them; moves to the end of that leaf (or the next page).
     */
    public Optional<Mapping> query() {
        require(PhysAddr.PAGE_SIZE, "query");
        Optional<Mapping> found = lookup(at);
        long next = found.map(m -> m.va().value() + m.size()).orElse(at + PhysAddr.PAGE_SIZE);
        at = next - start >= end - start ? end : next;
        return found;
    }

    /** The leaf mapping {@code va}, if a walk as the MMU's (software control) would find one. */
    Optional<Mapping> lookup(long va) {
        table.requireLive();
        try {
            path.locate(va);
        } catch (InvalidAddressException corrupt) { // a table entry pointing outside RAM: the MMU would fault
            return Optional.empty();
        }
        int level = path.level;
        if (path.pte == 0 || !(table.decode(path.pte, level) instanceof Entry.Leaf leaf)) {
            return Optional.empty();
        }
        long size = format.pageSize(level);
        if ((leaf.pa() & (size - 1)) != 0) {
            return Optional.empty(); // a misaligned superpage faults
        }
        int rights = PagingFormat.TABLE_WRITE | PagingFormat.TABLE_USER | PagingFormat.TABLE_EXECUTE;
        if (format.rightsAccumulate()) {
            for (int l = top; l > level; l--) {
                rights &= format.tableRights(table.readPte(path.node(l), format.index(va, l)), l, SOFTWARE);
            }
        }
        return Optional.of(new Mapping(VirtAddr.of(va & -size), leaf.pa(), size, Walker.restrict(leaf.props(), rights), leaf.tracked()));
    }

    /**
     * Unmaps {@code length} bytes from here and moves past them, splitting superpages cut by the
     * range's ends. The nodes those splits need are allocated before anything changes, so running out
     * of memory refuses the call with the tree as it was; nodes left empty are unlinked and go with
     * the flush.
     *
     * @throws MappingException     nothing is mapped in the range, or a guard refuses
     * @throws OutOfFramesException no memory for a split (nothing changed)
     */
    public PendingFlush unmap(long length) throws OutOfFramesException {
        require(length, "unmap");
        long from = at;
        if (length == PhysAddr.PAGE_SIZE) {
            path.locate(from);
            long frame = format.trackedLeafFrame(path.pte, path.level);
            if (path.level == 0 && frame >= 0) { // one tracked 4 KiB page: nothing to split, one entry to clear
                table.askGuards("unmap", from, length);
                PendingFlush pending = table.newFlush();
                table.writePte(path.node(0), format.index(from, 0), 0);
                table.count(path.node(0), -1);
                pending.invalidate(from);
                pending.releaseFrame(frame);
                prune(from, 0, pending);
                at += length;
                return pending;
            }
        }
        PendingFlush pending = begin("unmap", from, length);
        for (long va = from; (va = nextWholeLeaf(va, from, length, pending)) - from < length; ) {
            int level = path.level;
            long pte = path.pte;
            long frame = format.trackedLeafFrame(pte, level);
            if (frame < 0 && table.decode(pte, level) instanceof Entry.Leaf leaf && table.releasesFrame(leaf)) {
                frame = leaf.pa(); // an untracked leaf only while B5 is planted
            }
            table.writePte(path.node(level), format.index(va, level), 0);
            table.count(path.node(level), -1);
            pending.invalidate(va);
            if (frame >= 0) {
                pending.releaseFrame(frame);
            }
            prune(va, level, pending);
            va += format.pageSize(level);
        }
        splits.releaseUnused();
        at += length;
        return pending;
    }

    /**
     * Changes the rights of {@code length} bytes from here to {@code props} (keeping A/D and
     * tracking) and moves past them; all or nothing, as {@link #unmap}.
     */
    public PendingFlush protect(long length, PageProperty props) throws OutOfFramesException {
        require(length, "protect");
        table.encodable("protect", props, false);
        long from = at;
        PendingFlush pending = begin("protect", from, length);
        for (long va = from; (va = nextWholeLeaf(va, from, length, pending)) - from < length; ) {
            int level = path.level;
            Entry.Leaf leaf = (Entry.Leaf) table.decode(path.pte, level);
            PageProperty old = leaf.props();
            PageProperty merged = props.withAccessed(props.accessed() || old.accessed()).withDirty(props.dirty() || old.dirty());
            table.writePte(path.node(level), format.index(va, level), format.encodeLeaf(leaf.pa(), merged, leaf.tracked(), level));
            pending.invalidate(va);
            va += format.pageSize(level);
        }
        splits.releaseUnused();
        at += length;
        return pending;
    }

    /**
     * What an unmap or protect of {@code [from, from + length)} does before it changes an entry:
     * refuses an empty range and asks the guards (changing nothing), reserves the nodes its splits
     * need (all or nothing), and starts the flush.
     */
    private PendingFlush begin(String op, long from, long length) throws OutOfFramesException {
        requireSomethingMapped(op, from, length);
        table.askGuards(op, from, length);
        splits.reserve(from, length);
        return table.newFlush();
    }

    /**
     * The address of the first leaf at or after {@code va} that lies wholly inside
     * {@code [from, from + length)}, with the path at it ({@link TablePath#level}, {@link TablePath#pte});
     * a leaf the range's ends cut is split on the way (with reserved nodes, recorded in
     * {@code pending}), absent and malformed entries are passed over. {@code from + length} if none is left.
     */
    private long nextWholeLeaf(long va, long from, long length, PendingFlush pending) {
        while (va - from < length) {
            path.locate(va);
            int level = path.level;
            long span = format.pageSize(level);
            long base = va & -span;
            if (!isLeaf(path.pte, level)) {
                va = base + span; // absent, malformed, or a table where a leaf belongs
            } else if (base - from < 0 || base - from > length - span) {
                splits.split(va, level, path.pte, pending); // then the smaller leaf holding va
            } else {
                return base;
            }
        }
        return from + length;
    }

    private boolean isLeaf(long pte, int level) {
        return format.trackedLeafFrame(pte, level) >= 0 || pte != 0 && table.decode(pte, level) instanceof Entry.Leaf;
    }

    // ---- the walk ----

    /**
     * The node at {@code level} on the way to {@code va}, whose slot for {@code va} is free: an
     * overlap is refused, missing nodes are created on the way and recorded in {@code created} (the
     * caller undoes them if it refuses later).
     */
    private long freeSlot(String op, long va, int level, PageTable<K>.NodeLog created) throws OutOfFramesException {
        int stop = path.descend(va, level);
        while (stop > level) {
            if (path.pte != 0 && !(table.decode(path.pte, stop) instanceof Entry.Absent)) {
                throw table.overlap(op, va, stop, level, table.decode(path.pte, stop));
            }
            long node = table.linkNewNode(path.node(stop), format.index(va, stop), created);
            path.extend(--stop, node);
        }
        long slot = table.readPte(path.node(level), format.index(va, level));
        if (slot != 0 && !(table.decode(slot, level) instanceof Entry.Absent)) {
            throw table.overlap(op, va, level, level, table.decode(slot, level));
        }
        return path.node(level);
    }

    /** Refuses an overlap at {@code va} for a leaf at {@code level}; returns where the next check starts (past a free region). */
    private long requireFree(String op, long va, int level) {
        int stop = path.descend(va, level);
        long pte = stop > level ? path.pte : table.readPte(path.node(level), format.index(va, level));
        if (pte != 0 && !(table.decode(pte, stop) instanceof Entry.Absent)) {
            throw table.overlap(op, va, stop, level, table.decode(pte, stop));
        }
        long span = format.pageSize(stop);
        return (va & -span) + span;
    }

    private void requireSomethingMapped(String op, long from, long length) {
        for (long va = from; va - from < length; ) {
            path.locate(va);
            if (isLeaf(path.pte, path.level)) {
                return;
            }
            long span = format.pageSize(path.level);
            va = (va & -span) + span;
        }
        throw new MappingException(String.format("%s [0x%x, 0x%x): nothing is mapped there", op, from, from + length));
    }

    /** Unlinks the nodes on the path above {@code level} that became empty (never the root); they go with the flush. */
    private void prune(long va, int level, PendingFlush pending) {
        int l = level;
        while (l < top && table.count(path.node(l), 0) == 0) {
            table.unlinkNode(path.node(l + 1), format.index(va, l + 1), path.node(l), pending);
            l++;
        }
        if (l > level) { // the nodes from l up are still linked: the path stays current
            path.keepFrom(l);
        }
    }

    private void require(long length, String op) {
        table.requireLive();
        if (length <= 0 || length > end - at) {
            throw new MappingException(String.format("%s of 0x%x bytes at 0x%x: beyond the cursor's range [0x%x, 0x%x)",
                    op, length, at, start, end));
        }
    }
}
