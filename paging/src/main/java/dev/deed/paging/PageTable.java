package dev.deed.paging;

import dev.deed.frame.Frame;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.FrameException;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.PlantedBug;
import dev.deed.frame.Segment;
import dev.deed.frame.Tracked;
import dev.deed.frame.Untracked;
import dev.deed.frame.Usage;
import dev.deed.frame.mem.PhysMemory;
import dev.deed.frame.mem.RawFrames;
import dev.deed.paging.spi.Entry;
import dev.deed.paging.spi.PagingFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An address space: a tree of page-table nodes in simulated physical memory, in one
 * {@link PagingFormat}. {@code K} says whose it is: {@link KernelSpace} tables may also map untracked
 * memory ({@link #mapUntracked}); {@link UserSpace} tables map only tracked frames.
 *
 * <p>Every operation validates first and changes nothing when it refuses. {@link #unmap},
 * {@link #protect} and {@link #destroy} return a {@link PendingFlush} that must be flushed before
 * the frames and nodes they free are released.
 */
@InheritableMustCall("destroy")
public final class PageTable<K extends SpaceKind> {
    /** Software walks see what the kernel configured: 4 MiB pages on, SUM/MXR irrelevant. */
    private static final MmuControl SOFTWARE = MmuControl.defaults();

    private final PagingFormat format;
    private final FrameAllocator frames;
    /** The machine's CPUs: whose TLBs this table's flushes reach. */
    private final Cpus cpus;
    private final PhysMemory memory;
    private final RawFrames raw;
    private final NodeScan scan;
    private final boolean kernel;
    private final int asid;
    private final long root;
    /** Valid entries per node, keyed by the node's frame number. */
    private final NodeCounts valid = new NodeCounts();
    /** Claims on ranges of a kernel table, asked before anything is unmapped, re-protected or destroyed. */
    private final List<RangeGuard> guards = new ArrayList<>();
    private boolean destroyed;

    private PageTable(PagingFormat format, FrameAllocator frames, boolean kernel, int asid, long root) {
        this.format = format;
        this.frames = frames;
        this.cpus = Cpus.of(frames, format);
        this.memory = frames.memory();
        this.raw = frames.raw();
        this.scan = NodeScan.of(frames);
        this.kernel = kernel;
        this.asid = asid;
        this.root = root;
        valid.add(root >>> 12, 0);
    }

    /** A kernel address space (ASID 0), with an empty root node. */
    public static PageTable<KernelSpace> kernel(PagingFormat format, FrameAllocator frames) throws OutOfFramesException {
        return new PageTable<>(format, frames, true, 0, allocNode(frames));
    }

    /** A user address space tagged with {@code asid} (0 on formats without ASIDs), with an empty root node. */
    public static PageTable<UserSpace> user(PagingFormat format, FrameAllocator frames, int asid) throws OutOfFramesException {
        int max = format.hasAsids() ? 0xFFFF : 0;
        if (asid < 0 || asid > max) {
            throw new MappingException("ASID " + asid + " is outside [0, " + max + "] for " + format.name());
        }
        return new PageTable<>(format, frames, false, asid, allocNode(frames));
    }

    /**
     * Maps {@code va} (4 KiB) to {@code frame}, taking the handle's reference: the page table holds
     * it until the mapping is unmapped and flushed. Everything is checked before anything is
     * allocated, and a missing table node that cannot be allocated leaves the tree as it was. A
     * refused frame is never taken: it stays open, with the caller. Both refusals are declared, so
     * the Resource Leak Checker rejects a caller that would lose it (a frame allocated inline in the
     * call, say).
     *
     * @throws MappingException     bad address or rights, an overlap, or a frame that cannot be held
     * @throws OutOfFramesException no memory for a table node
     */
    public void map(VirtAddr va, @Owning Frame<Tracked> frame, PageProperty props) throws MappingException, OutOfFramesException {
        requireRange("map", va, PhysAddr.PAGE_SIZE);
        encodable("map", props, true);
        try {
            raw.requireIntoRaw(frame);
        } catch (FrameException unusable) {
            throw new MappingException("map at " + va + ": " + unusable.getMessage());
        }
        long table = freeSlotTable("map", va.value());
        PhysAddr pa = raw.intoRaw(frame);
        writePte(table, format.index(va.value(), 0), format.encodeLeaf(pa.value(), props, true, 0));
        count(table, +1);
    }

    /**
     * Maps {@code va} (4 KiB) to the tracked frame at {@code frame}, which another mapping already
     * holds, adding one reference for this one (copy-on-write sharing after fork). All or nothing:
     * everything is checked, a missing node that cannot be had leaves the tree as it was.
     *
     * @throws MappingException     bad address or rights, an overlap, or a frame that is not an allocated single frame
     * @throws OutOfFramesException no memory for a table node
     */
    public void mapShared(VirtAddr va, PhysAddr frame, PageProperty props) throws MappingException, OutOfFramesException {
        requireRange("map", va, PhysAddr.PAGE_SIZE);
        encodable("map", props, true);
        dev.deed.frame.FrameInfo info;
        try {
            info = frames.info(frame);
        } catch (RuntimeException outside) {
            throw new MappingException("map at " + va + ": " + outside.getMessage());
        }
        if (info.state() != dev.deed.frame.FrameState.UNIQUE && info.state() != dev.deed.frame.FrameState.IN_USE
                || info.unitOrder() != 0 || !frame.isAligned(PhysAddr.PAGE_SIZE)) {
            throw new MappingException("map at " + va + ": frame " + frame + " is " + info + ", not an allocated single frame to share");
        }
        requireFree("map", va.value(), 0);
        NodeLog created = new NodeLog();
        long table;
        try {
            table = ensureTable(va.value(), 0, created);
            raw.shareRaw(frame);
        } catch (RuntimeException refused) { // no node, or a frame at its maximum of references
            created.undo();
            throw refused;
        }
        writePte(table, format.index(va.value(), 0), format.encodeLeaf(frame.value(), props, true, 0));
        count(table, +1);
    }

    /**
     * Fork's copy-on-write share: {@code child} — empty, of this table's format and kind — gets a
     * copy of this tree in which every tracked leaf maps the same frame with one more reference,
     * read-only; then this table's writable leaves become read-only too, and the returned flush
     * drops their writable translations. One pass over this tree's nodes, not a walk per page.
     * Everything the child needs is taken before this table changes: a node that cannot be had
     * refuses the call with this table as it was, and the child holding what was copied so far
     * (its owner destroys it).
     *
     * @throws MappingException     {@code child} is not empty, or not of this format or kind
     * @throws OutOfFramesException no memory for a child node (this table unchanged)
     */
    public PendingFlush shareInto(PageTable<K> child) throws OutOfFramesException {
        requireLive();
        child.requireLive();
        if (child == this || child.format != format || child.kernel != kernel || child.count(child.root, 0) != 0) {
            throw new MappingException("share into " + child + ": it must be another, empty table of format " + format.name());
        }
        WritableLeaves writable = new WritableLeaves();
        copyShared(root, child, child.root, format.levels() - 1, 0, writable);
        PendingFlush pending = newFlush();
        for (int k = 0; k < writable.size; k++) { // nothing can fail from here on
            writePte(writable.tables[k], writable.indexes[k], format.writeProtect(writable.ptes[k]));
            pending.invalidate(writable.vas[k]);
        }
        return pending;
    }

    /**
     * Copies node {@code table}'s valid entries into the child's node {@code into}: tables
     * recursively, tracked leaves shared read-only; notes this table's writable leaves.
     */
    private void copyShared(long table, PageTable<K> child, long into, int level, long prefix, WritableLeaves writable)
            throws OutOfFramesException {
        int n = scanNode(table, level);
        int[] at = scan.indexes(level);
        long[] ptes = scan.values(level);
        int[] slots = new int[n];
        long[] entries = new long[n];
        int copied = 0;
        try {
            for (int k = 0; k < n; k++) {
                int i = at[k];
                long pte = ptes[k];
                long frame = format.trackedLeafFrame(pte, level);
                if (frame >= 0) {
                    raw.shareRaw(PhysAddr.of(frame));
                    long readOnly = format.writeProtect(pte);
                    slots[copied] = i;
                    entries[copied++] = readOnly;
                    if (readOnly != pte) {
                        writable.add(table, i, pte, canonical(prefix | (long) i << format.indexShift(level)));
                    }
                } else if (decode(pte, level) instanceof Entry.Table t) {
                    long node = allocNode(frames);
                    child.valid.add(node >>> 12, 0);
                    slots[copied] = i;
                    entries[copied++] = format.encodeTable(node);
                    copyShared(t.pa(), child, node, level - 1, canonical(prefix | (long) i << format.indexShift(level)), writable);
                }
            }
        } finally { // what was taken is in the child node, so that tearing the child down gives it back
            memory.writeWords(into, format.pteBytes(), format.entriesPerTable(), slots, entries, copied);
            child.count(into, copied);
        }
    }

    /** The slots of the writable leaves {@link #shareInto} makes read-only once the child is complete. */
    private static final class WritableLeaves {
        long[] tables = new long[16];
        int[] indexes = new int[16];
        long[] ptes = new long[16];
        long[] vas = new long[16];
        int size;

        void add(long table, int index, long pte, long va) {
            if (size == tables.length) {
                tables = java.util.Arrays.copyOf(tables, size * 2);
                indexes = java.util.Arrays.copyOf(indexes, size * 2);
                ptes = java.util.Arrays.copyOf(ptes, size * 2);
                vas = java.util.Arrays.copyOf(vas, size * 2);
            }
            tables[size] = table;
            indexes[size] = index;
            ptes[size] = pte;
            vas[size++] = va;
        }
    }

    /**
     * Replaces the 4 KiB leaf at {@code va} with one mapping {@code frame} (taking its reference),
     * in place — no node is added or removed: a copy-on-write break. The old frame's reference is
     * released by the returned flush, after every CPU has dropped the old translation. Refused,
     * changing nothing and leaving {@code frame} with the caller, if no 4 KiB leaf maps {@code va}.
     *
     * @throws MappingException no 4 KiB leaf at {@code va}, bad rights, or a frame that cannot be held
     */
    public PendingFlush replace(VirtAddr va, @Owning Frame<Tracked> frame, PageProperty props) throws MappingException {
        requireRange("replace", va, PhysAddr.PAGE_SIZE);
        encodable("replace", props, true);
        try {
            raw.requireIntoRaw(frame);
        } catch (FrameException unusable) {
            throw new MappingException("replace at " + va + ": " + unusable.getMessage());
        }
        long table = leafTable(va.value());
        int index = format.index(va.value(), 0);
        Entry old = decode(readPte(table, index), 0);
        if (!(old instanceof Entry.Leaf leaf)) {
            throw new MappingException("replace at " + va + ": no 4 KiB page is mapped there");
        }
        PendingFlush pending = newFlush();
        PhysAddr pa = raw.intoRaw(frame);
        writePte(table, index, format.encodeLeaf(pa.value(), props, true, 0));
        pending.invalidate(va.value());
        if (leaf.tracked()) {
            pending.releaseFrame(leaf.pa());
        }
        return pending;
    }

    /** The last-level node that holds {@code va}'s 4 KiB entry; refused if the walk stops above it. */
    private long leafTable(long va) {
        long table = root;
        for (int level = format.levels() - 1; level > 0; level--) {
            if (!(decode(readPte(table, format.index(va, level)), level) instanceof Entry.Table next)) {
                throw new MappingException("0x" + Long.toHexString(va) + " is not mapped by a 4 KiB page");
            }
            table = next.pa();
        }
        return table;
    }

    /**
     * Maps {@code [va, va + size)} to fresh frames tagged {@code usage} (zero-filled if asked), all or
     * nothing: the missing table nodes are created first, then every frame is taken, then all are
     * mapped. A failure at any point gives back every frame and node it took, so the tree and the
     * allocator are exactly as before. Nothing was visible to a TLB in between: a refused call
     * changes nothing that any CPU could have seen.
     *
     * @throws MappingException     bad address, size or rights, or part of the range already mapped
     * @throws OutOfFramesException no memory for a node or a frame (nothing changed)
     */
    public void mapFresh(VirtAddr va, long size, PageProperty props, Usage usage, boolean zeroed) throws OutOfFramesException {
        requireRange("map", va, size);
        encodable("map", props, true);
        int pages = Math.toIntExact(size >>> PhysAddr.PAGE_SHIFT);
        for (int i = 0; i < pages; i++) {
            requireFree("map", va.value() + ((long) i << PhysAddr.PAGE_SHIFT), 0);
        }
        long[] tables = new long[pages];
        long[] taken = new long[pages];
        int frameCount = 0;
        NodeLog created = new NodeLog();
        try {
            for (int i = 0; i < pages; i++) {
                tables[i] = ensureTable(va.value() + ((long) i << PhysAddr.PAGE_SHIFT), 0, created);
            }
            for (; frameCount < pages; frameCount++) {
                taken[frameCount] = raw.intoRaw(zeroed ? frames.allocZeroed(usage) : frames.alloc(usage)).value();
            }
        } catch (RuntimeException refused) {
            for (int i = 0; i < frameCount; i++) {
                raw.dropRaw(PhysAddr.of(taken[i]));
            }
            created.undo();
            throw refused;
        }
        for (int i = 0; i < pages; i++) {
            long at = va.value() + ((long) i << PhysAddr.PAGE_SHIFT);
            writePte(tables[i], format.index(at, 0), format.encodeLeaf(taken[i], props, true, 0));
            count(tables[i], +1);
        }
    }

    /**
     * Maps {@code [va, va + range.size())} to the untracked physical range, with the largest leaves
     * the alignment of both addresses allows. Kernel tables only: the type of {@code table} says so.
     * The mapping holds no reference; unmapping it never touches the memory. All or nothing: nodes
     * created before a node allocation fails are unlinked again.
     */
    public static void mapUntracked(PageTable<KernelSpace> table, VirtAddr va, Segment<Untracked> range, PageProperty props)
            throws OutOfFramesException {
        if (!table.kernel) { // reachable only through a raw type or an unchecked cast
            throw new MappingException("map-untracked at " + va + ": " + table + " is a user table; untracked memory"
                    + " is mapped only in kernel tables (B5); nothing was mapped");
        }
        if (range.isTracked()) { // an unchecked cast of an allocator's segment
            throw new MappingException("map-untracked at " + va + ": " + range + " is tracked memory the allocator owns;"
                    + " only untracked ranges (MMIO, firmware, reserved) may be mapped untracked; nothing was mapped");
        }
        table.mapRange(va, range.addr().value(), range.size(), props);
    }

    /**
     * Installs {@code guard} on a kernel table: from now on {@link #unmap}, {@link #protect} and
     * {@link #destroy} ask it first (see {@link RangeGuard}).
     */
    public static void guard(PageTable<KernelSpace> table, RangeGuard guard) {
        if (!table.kernel) {
            throw new MappingException("guard: " + table + " is a user table; guards claim ranges of kernel tables");
        }
        table.requireLive();
        table.guards.add(guard);
    }

    /**
     * Unmaps every page in {@code [va, va + size)}, splitting superpages cut by the range's ends. The
     * nodes those splits need are allocated before anything changes, so running out of memory
     * refuses the call with the tree as it was.
     */
    public PendingFlush unmap(VirtAddr va, long size) throws OutOfFramesException {
        requireRange("unmap", va, size);
        requireSomethingMapped("unmap", va.value(), size);
        askGuards("unmap", va.value(), size);
        NodePool spare = reserveSplits(va.value(), size);
        PendingFlush pending = newFlush();
        forEachLeaf(va.value(), size, pending, spare, (slot, base, level, leaf) -> {
            writePte(slot.table, slot.index, 0);
            count(slot.table, -1);
            pending.invalidate(base);
            if (releasesFrame(leaf)) {
                pending.releaseFrame(leaf.pa());
            }
            prune(slot, pending);
        });
        spare.releaseUnused();
        return pending;
    }

    /**
     * Changes the rights of every page in {@code [va, va + size)} to {@code props}, keeping A/D and
     * tracking; all or nothing, as {@link #unmap}.
     */
    public PendingFlush protect(VirtAddr va, long size, PageProperty props) throws OutOfFramesException {
        requireRange("protect", va, size);
        encodable("protect", props, false);
        requireSomethingMapped("protect", va.value(), size);
        askGuards("protect", va.value(), size);
        NodePool spare = reserveSplits(va.value(), size);
        PendingFlush pending = newFlush();
        forEachLeaf(va.value(), size, pending, spare, (slot, base, level, leaf) -> {
            PageProperty old = leaf.props();
            PageProperty merged = props.withAccessed(props.accessed() || old.accessed()).withDirty(props.dirty() || old.dirty());
            writePte(slot.table, slot.index, format.encodeLeaf(leaf.pa(), merged, leaf.tracked(), level));
            pending.invalidate(base);
        });
        spare.releaseUnused();
        return pending;
    }

    /** A cursor over {@code [va, va + length)}. */
    public Cursor<K> cursor(VirtAddr va, long length) {
        requireRange("cursor", va, length);
        return new Cursor<>(this, va.value(), length);
    }

    /** The leaf mapping {@code va}, with rights as the hardware would combine them, if any. */
    public Optional<Mapping> query(VirtAddr va) {
        requireLive();
        if (!format.isCanonical(va.value())) {
            return Optional.empty();
        }
        try {
            Walker.Walk w = Walker.walk(memory, format, root, va.value(), SOFTWARE, Access.READ, Privilege.SUPERVISOR);
            long size = format.pageSize(w.level());
            return Optional.of(new Mapping(VirtAddr.of(va.value() & -size), w.leaf().pa(), size, w.effective(), w.leaf().tracked()));
        } catch (PageFault notMapped) {
            return Optional.empty();
        }
    }

    /** Every leaf mapping, sorted by virtual address (unsigned). */
    public List<Mapping> mappings() {
        requireLive();
        List<Mapping> out = new ArrayList<>();
        collect(root, format.levels() - 1, 0, true, true, true, out);
        return out;
    }

    /** Every node of the tree, the root first, each before the nodes below it (depth first, by address). */
    public List<TableNode> nodes() {
        requireLive();
        List<TableNode> out = new ArrayList<>();
        nodes(root, format.levels() - 1, 0, out);
        return out;
    }

    private void nodes(long table, int level, long prefix, List<TableNode> out) {
        int n = scanNode(table, level);
        int[] at = scan.indexes(level);
        long[] ptes = scan.values(level);
        int valid = 0;
        int self = out.size();
        out.add(new TableNode(table, level, VirtAddr.of(canonical(prefix)), 0));
        for (int k = 0; k < n; k++) {
            long va = canonical(prefix | (long) at[k] << format.indexShift(level));
            switch (decode(ptes[k], level)) {
                case Entry.Table t -> {
                    valid++;
                    nodes(t.pa(), level - 1, va, out);
                }
                case Entry.Leaf leaf -> valid++;
                default -> { }
            }
        }
        out.set(self, new TableNode(table, level, VirtAddr.of(canonical(prefix)), valid));
    }

    /**
     * Tears the address space down: every tracked leaf's frame and every node, the root included,
     * is released by the returned flush. The table is unusable afterwards.
     */
    public PendingFlush destroy() {
        requireLive();
        askGuards("destroy", format.isCanonical(0) ? 0 : 0, 0);
        PendingFlush pending = newFlush();
        release(root, format.levels() - 1, pending);
        pending.tablesChanged();
        pending.destroysTable();
        destroyed = true;
        valid.clear();
        return pending;
    }

    public PagingFormat format() {
        return format;
    }

    /** The root register value (satp / CR3) that activates this table. */
    public long rootRegister() {
        return format.rootRegister(root, asid);
    }

    public PhysAddr rootAddress() {
        return PhysAddr.of(root);
    }

    public int asid() {
        return asid;
    }

    /** Page-table nodes in the tree, the root included. */
    public int nodeCount() {
        return valid.size();
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return (kernel ? "kernel" : "user") + " page table (" + format.name() + (kernel ? "" : ", ASID " + asid) + ")"
                + (destroyed ? " (destroyed)" : "");
    }

    // ---- walking and editing ----

    /** Where an entry lives: its table, index and level, and the slot above it (null for the root's entries). */
    private record Slot(long table, int index, int level, @Nullable Slot parent) {
    }

    private interface LeafAction {
        void apply(Slot slot, long base, int level, Entry.Leaf leaf);
    }

    /**
     * Visits every leaf in {@code [start, start + size)}; a superpage the range covers only in part
     * is split first (recorded in {@code pending}, since a non-leaf entry changes).
     */
    private void forEachLeaf(long start, long size, PendingFlush pending, NodePool spare, LeafAction action) {
        long done = 0;
        while (done < size) {
            long at = start + done;
            Slot slot = null;
            long table = root;
            Entry entry = null;
            for (int level = format.levels() - 1; level >= 0; level--) {
                slot = new Slot(table, format.index(at, level), level, slot);
                entry = decode(readPte(table, slot.index), level);
                if (!(entry instanceof Entry.Table t)) {
                    break;
                }
                table = t.pa();
            }
            if (slot == null || entry == null) {
                throw new IllegalStateException("a page table has levels");
            }
            long span = format.pageSize(slot.level);
            long base = at & -span;
            if (entry instanceof Entry.Leaf leaf) {
                if (base - start >= 0 && base - start <= size - span) {
                    action.apply(slot, base, slot.level, leaf);
                    done = base + span - start;
                } else {
                    split(slot, leaf, spare.take());
                    pending.tablesChanged();
                    pending.invalidate(base);
                }
            } else {
                done = base + span - start;
            }
        }
    }

    /** Replaces a superpage leaf by a node of next-smaller leaves with the same addresses, rights and tracking. */
    private void split(Slot slot, Entry.Leaf leaf, long node) {
        int lower = slot.level - 1;
        if (lower < 0 || !format.leafAllowed(lower)) {
            throw new IllegalStateException(format.name() + " cannot split a level-" + slot.level + " leaf");
        }
        long step = format.pageSize(lower);
        for (int i = 0; i < format.entriesPerTable(); i++) {
            writePte(node, i, format.encodeLeaf(leaf.pa() + i * step, leaf.props(), leaf.tracked(), lower));
        }
        valid.add(node >>> 12, format.entriesPerTable());
        writePte(slot.table, slot.index, format.encodeTable(node));
    }

    /** Unlinks the nodes on the slot's path that became empty (never the root); they go with the flush. */
    private void prune(Slot slot, PendingFlush pending) {
        Slot s = slot;
        Slot up;
        while (s.table != root && count(s.table, 0) == 0 && (up = s.parent) != null) {
            writePte(up.table, up.index, 0);
            count(up.table, -1);
            valid.remove(s.table >>> 12);
            pending.releaseNode(s.table);
            s = up;
        }
    }

    private void mapRange(VirtAddr va, long pa, long size, PageProperty props) throws OutOfFramesException {
        requireRange("map-untracked", va, size);
        encodable("map-untracked", props, false);
        List<long[]> chunks = new ArrayList<>();
        long done = 0;
        while (done < size) {
            long at = va.value() + done;
            long p = pa + done;
            int level = format.levels() - 1;
            while (level > 0 && !(format.leafAllowed(level) && (at & (format.pageSize(level) - 1)) == 0
                    && (p & (format.pageSize(level) - 1)) == 0 && size - done >= format.pageSize(level))) {
                level--;
            }
            requireFree("map-untracked", at, level);
            chunks.add(new long[] {at, p, level});
            done += format.pageSize(level);
        }
        long[] tables = new long[chunks.size()];
        NodeLog created = new NodeLog();
        try {
            for (int i = 0; i < chunks.size(); i++) {
                tables[i] = ensureTable(chunks.get(i)[0], (int) chunks.get(i)[2], created);
            }
        } catch (RuntimeException refused) {
            created.undo();
            throw refused;
        }
        for (int i = 0; i < chunks.size(); i++) {
            long[] c = chunks.get(i);
            int level = (int) c[2];
            writePte(tables[i], format.index(c[0], level), format.encodeLeaf(c[1], props, false, level));
            count(tables[i], +1);
        }
    }

    /**
     * The table at {@code level} on the path to {@code va}, creating missing nodes on the way. Nodes
     * created are recorded in {@code log}; with no log, a failure part-way unlinks what this call
     * created before it throws.
     */
    private long ensureTable(long va, int level, @Nullable NodeLog log) throws OutOfFramesException {
        NodeLog mine = log != null ? log : new NodeLog();
        long table = root;
        try {
            for (int l = format.levels() - 1; l > level; l--) {
                int index = format.index(va, l);
                Entry e = decode(readPte(table, index), l);
                if (e instanceof Entry.Table t) {
                    table = t.pa();
                } else if (e instanceof Entry.Absent) {
                    table = linkNewNode(table, index, mine);
                } else {
                    throw new IllegalStateException("unexpected " + e + " on the way to a free slot");
                }
            }
        } catch (RuntimeException refused) {
            if (log == null) {
                mine.undo();
            }
            throw refused;
        }
        return table;
    }

    /**
     * The page-table nodes one operation created, in order, so that a failure can unlink and release
     * them all (last first). Nothing maps through them yet, so no TLB can hold a translation that
     * used them.
     */
    private final class NodeLog {
        private long[] nodes = new long[4];
        private long[] parents = new long[4];
        private int[] indexes = new int[4];
        private int size;

        void add(long node, long parent, int index) {
            if (size == nodes.length) {
                nodes = java.util.Arrays.copyOf(nodes, size * 2);
                parents = java.util.Arrays.copyOf(parents, size * 2);
                indexes = java.util.Arrays.copyOf(indexes, size * 2);
            }
            nodes[size] = node;
            parents[size] = parent;
            indexes[size] = index;
            size++;
        }

        void undo() {
            while (size > 0) {
                size--;
                writePte(parents[size], indexes[size], 0);
                count(parents[size], -1);
                valid.remove(nodes[size] >>> 12);
                raw.dropRaw(PhysAddr.of(nodes[size]));
            }
        }
    }

    /**
     * Nodes allocated before an unmap or protect changes anything, for the splits it will make at
     * the two ends of its range; the ones not used are released at the end.
     */
    private final class NodePool {
        private final long[] nodes;
        private int next;

        NodePool(long[] nodes) {
            this.nodes = nodes;
        }

        long take() {
            if (next == nodes.length) {
                throw new IllegalStateException("a split needed more page-table nodes than were reserved for it");
            }
            return nodes[next++];
        }

        void releaseUnused() {
            while (next < nodes.length) {
                raw.dropRaw(PhysAddr.of(nodes[next++]));
            }
        }
    }

    /**
     * Allocates (all or nothing) one node for every superpage split that {@code [start, start + size)}
     * will make: at each end of the range that cuts a leaf, one per level down to the size the end
     * is aligned to; a leaf cut at both ends is split once.
     */
    private NodePool reserveSplits(long start, long size) throws OutOfFramesException {
        java.util.Set<String> splits = new java.util.TreeSet<>();
        countSplits(start, start, splits);
        countSplits(start + size - 1, start + size, splits);
        long[] nodes = new long[splits.size()];
        int taken = 0;
        try {
            for (; taken < nodes.length; taken++) {
                nodes[taken] = allocNode(frames);
            }
        } catch (RuntimeException refused) {
            for (int i = 0; i < taken; i++) {
                raw.dropRaw(PhysAddr.of(nodes[i]));
            }
            throw refused;
        }
        return new NodePool(nodes);
    }

    /** Adds "level:base" for each split the leaf holding {@code inside} needs so that {@code boundary} falls between leaves. */
    private void countSplits(long inside, long boundary, java.util.Set<String> splits) {
        Found found = find(inside);
        if (!(found.entry() instanceof Entry.Leaf)) {
            return;
        }
        for (int l = found.level(); l > 0 && (boundary & (format.pageSize(l) - 1)) != 0; l--) {
            splits.add(l + ":" + Long.toHexString(inside & -format.pageSize(l)));
        }
    }

    /** What a walk towards {@code va} ends at: a leaf, or an absent or malformed entry, and its level. */
    private record Found(int level, Entry entry) {
    }

    private Found find(long va) {
        int level = format.levels() - 1;
        Entry e = decode(readPte(root, format.index(va, level)), level);
        while (e instanceof Entry.Table t) {
            level--;
            e = decode(readPte(t.pa(), format.index(va, level)), level);
        }
        return new Found(level, e);
    }

    /**
     * One walk down to {@code va}'s last-level table: refuses an overlap on the way (before anything
     * is allocated) and creates the missing nodes below the first absent entry, all or nothing.
     */
    private long freeSlotTable(String op, long va) throws OutOfFramesException {
        NodeLog created = new NodeLog();
        long table = root;
        try {
            for (int l = format.levels() - 1; l > 0; l--) {
                int index = format.index(va, l);
                Entry e = decode(readPte(table, index), l);
                if (e instanceof Entry.Table t) {
                    table = t.pa();
                    continue;
                }
                if (!(e instanceof Entry.Absent)) {
                    throw overlap(op, va, l, 0, e);
                }
                table = linkNewNode(table, index, created);
            }
            Entry slot = decode(readPte(table, format.index(va, 0)), 0);
            if (!(slot instanceof Entry.Absent)) {
                throw overlap(op, va, 0, 0, slot);
            }
        } catch (RuntimeException refused) {
            created.undo();
            throw refused;
        }
        return table;
    }

    /** A fresh empty node linked at {@code index} of {@code table}, recorded in {@code log} so a later refusal can undo it. */
    private long linkNewNode(long table, int index, NodeLog log) throws OutOfFramesException {
        long node = allocNode(frames);
        valid.add(node >>> 12, 0);
        writePte(table, index, format.encodeTable(node));
        count(table, +1);
        log.add(node, table, index);
        return node;
    }

    /** Why {@code va} is not free for a mapping at {@code level}: entry {@code e} at {@code l} is in the way. */
    private MappingException overlap(String op, long va, int l, int level, Entry e) {
        if (e instanceof Entry.Leaf) {
            return new MappingException(String.format("%s at 0x%x: overlaps the existing %s mapping at 0x%x",
                    op, va, sizeName(format.pageSize(l)), va & -format.pageSize(l)));
        }
        return new MappingException(String.format("%s at 0x%x: overlaps existing mappings inside [0x%x, 0x%x)",
                op, va, va, va + format.pageSize(level)));
    }

    private void requireFree(String op, long va, int level) {
        long table = root;
        for (int l = format.levels() - 1; l >= level; l--) {
            Entry e = decode(readPte(table, format.index(va, l)), l);
            if (e instanceof Entry.Absent) {
                return;
            }
            if (e instanceof Entry.Leaf) {
                throw new MappingException(String.format("%s at 0x%x: overlaps the existing %s mapping at 0x%x",
                        op, va, sizeName(format.pageSize(l)), va & -format.pageSize(l)));
            }
            if (!(e instanceof Entry.Table t) || l == level) {
                throw new MappingException(String.format("%s at 0x%x: overlaps existing mappings inside [0x%x, 0x%x)",
                        op, va, va, va + format.pageSize(level)));
            }
            table = t.pa();
        }
    }

    private void requireSomethingMapped(String op, long start, long size) {
        long done = 0;
        while (done < size) {
            long at = start + done;
            Found found = find(at);
            if (found.entry() instanceof Entry.Leaf) {
                return;
            }
            long span = format.pageSize(found.level());
            done = (at & -span) + span - start;
        }
        throw new MappingException(String.format("%s [0x%x, 0x%x): nothing is mapped there", op, start, start + size));
    }

    private void collect(long table, int level, long prefix, boolean writable, boolean user, boolean executable, List<Mapping> out) {
        int n = scanNode(table, level);
        int[] at = scan.indexes(level);
        long[] ptes = scan.values(level);
        for (int k = 0; k < n; k++) {
            long va = canonical(prefix | (long) at[k] << format.indexShift(level));
            switch (decode(ptes[k], level)) {
                case Entry.Table t -> collect(t.pa(), level - 1, va, writable && (!format.rightsAccumulate() || t.writable()),
                        user && (!format.rightsAccumulate() || t.user()), executable && (!format.rightsAccumulate() || t.executable()), out);
                case Entry.Leaf leaf -> {
                    PageProperty p = leaf.props();
                    PageProperty effective = new PageProperty(p.read(), p.write() && writable, p.execute() && executable, p.user() && user,
                            p.global(), p.accessed(), p.dirty(), p.cache());
                    out.add(new Mapping(VirtAddr.of(va), leaf.pa(), format.pageSize(level), effective, leaf.tracked()));
                }
                default -> { }
            }
        }
    }

    /** Releases a node's subtree. */
    private void release(long table, int level, PendingFlush pending) {
        int n = scanNode(table, level);
        int[] at = scan.indexes(level);
        long[] ptes = scan.values(level);
        for (int k = 0; k < n; k++) {
            long frame = format.trackedLeafFrame(ptes[k], level);
            if (frame >= 0) {
                pending.releaseFrame(frame);
                continue;
            }
            switch (decode(ptes[k], level)) {
                case Entry.Table t -> release(t.pa(), level - 1, pending);
                case Entry.Leaf leaf when releasesFrame(leaf) -> pending.releaseFrame(leaf.pa());
                default -> { }
            }
        }
        pending.releaseNode(table);
    }

    /**
     * Whether a leaf's frame goes back with the leaf: tracked leaves only. While B5 is planted
     * ({@link PlantedBug#B5}) untracked ones too — Asterinas #1399's destructor, whose release the
     * frame allocator then refuses ({@code BadFreeException}: the memory was never its to take back).
     */
    private boolean releasesFrame(Entry.Leaf leaf) {
        return leaf.tracked() || frames.faults().isPlanted(PlantedBug.B5);
    }

    /** Sign-extends a top-level index's address into the upper canonical half where the format has one. */
    private long canonical(long va) {
        int bits = 64 - Long.numberOfLeadingZeros(format.lowerHalfEnd());
        return va << (64 - bits) >> (64 - bits);
    }

    private int count(long table, int delta) {
        return valid.change(table >>> 12, delta);
    }

    private Entry decode(long pte, int level) {
        return format.decode(pte, level, SOFTWARE);
    }

    /** Reads node {@code table}'s non-zero entries into {@link #scan}'s buffers for {@code level}; returns how many. */
    private int scanNode(long table, int level) {
        return scan.scan(memory, table, level, format.pteBytes(), format.entriesPerTable());
    }

    private long readPte(long table, int index) {
        long at = table + (long) index * format.pteBytes();
        return format.pteBytes() == 8 ? memory.readU64(at) : memory.readU32(at);
    }

    private void writePte(long table, int index, long pte) {
        long at = table + (long) index * format.pteBytes();
        if (format.pteBytes() == 8) {
            memory.writeU64(at, pte);
        } else {
            memory.writeU32(at, pte);
        }
    }

    private void encodable(String op, PageProperty props, boolean tracked) {
        try {
            format.encodeLeaf(0, props, tracked, 0);
        } catch (IllegalArgumentException e) {
            throw new MappingException(op + " with rights " + props + ": " + e.getMessage());
        }
    }

    private void requireRange(String op, VirtAddr va, long size) {
        requireLive();
        long v = va.value();
        if ((v & (PhysAddr.PAGE_SIZE - 1)) != 0) {
            throw new MappingException(op + " at " + va + ": the address is not 4 KiB-aligned");
        }
        if (size <= 0 || (size & (PhysAddr.PAGE_SIZE - 1)) != 0) {
            throw new MappingException(op + " at " + va + ": size " + size + " must be a positive multiple of 4096");
        }
        long last = v + size - 1;
        if (!format.isCanonical(v) || !format.isCanonical(last) || Long.compareUnsigned(last, v) < 0
                || (Long.compareUnsigned(v, format.lowerHalfEnd()) < 0) != (Long.compareUnsigned(last, format.lowerHalfEnd()) < 0)) {
            throw new MappingException(String.format("%s [0x%x, 0x%x): not a canonical range for %s", op, v, v + size, format.name()));
        }
    }

    /** A flush of this table (in the planted PR #1387 order if that bug is planted). */
    private PendingFlush newFlush() {
        return new PendingFlush(raw, cpus, kernel, asid, root, frames.faults().isPlanted(PlantedBug.B5_FLUSH));
    }

    /** The machine's CPUs, whose TLBs this table's flushes reach. */
    public Cpus cpus() {
        return cpus;
    }

    /** Asks every guard; {@code size} 0 means the whole table (destroy). */
    private void askGuards(String op, long va, long size) {
        for (RangeGuard g : guards) {
            g.check(op, va, size);
        }
    }

    private void requireLive() {
        if (destroyed) {
            throw new MappingException("this " + format.name() + " page table was destroyed");
        }
    }

    /** A zeroed node, its reference held raw (by the tree once linked). */
    private static long allocNode(FrameAllocator frames) throws OutOfFramesException {
        return frames.raw().intoRaw(frames.allocZeroed(Usage.PAGE_TABLE)).value();
    }



    static String sizeName(long size) {
        if (size >= 1L << 30) {
            return (size >> 30) + " GiB";
        }
        return size >= 1L << 20 ? (size >> 20) + " MiB" : (size >> 10) + " KiB";
    }
}
